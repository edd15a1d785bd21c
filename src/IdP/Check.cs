using System.Diagnostics.CodeAnalysis;

namespace WaIdentity.IdP;

/// <summary>A value a check let through (the caller, the body, the client), or the typed error that stopped it: the one
/// success-or-error shape of the IdP's steps. The endpoint that asked turns the error into its answer in one place.</summary>
internal readonly struct Check<T, TError> where TError : class
{
    private Check(T? value, TError? error) => (Value, Error) = (value, error);

    public T? Value { get; }

    public TError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Passed => Error is null;

    /// <summary>For values of an interface type, which C# does not convert implicitly.</summary>
    public static Check<T, TError> Pass(T value) => new(value, null);

    public static implicit operator Check<T, TError>(T value) => new(value, null);

    public static implicit operator Check<T, TError>(TError error) => new(default, error);
}
