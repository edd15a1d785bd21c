using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.Login;

/// <summary>Why a registration was refused; each caller words it its own way (problem+json, page text).</summary>
internal enum RegistrationError { Closed, Missing, PasswordTooShort, NotValid, RateLimited, EmailTaken, Rejected }

/// <param name="Error">The first problem (missing fields before a short password before invalid values).</param>
/// <param name="Fields">The form fields <paramref name="Error"/> belongs to ("name", "email", "password").</param>
/// <param name="Detail">Identity's own words for <see cref="RegistrationError.Rejected"/>.</param>
/// <param name="AllFields">Every field's problem found in one pass, so a form can show them all at once.</param>
internal sealed record RegistrationResult(IdpUser? User, RegistrationError? Error = null, IReadOnlyList<string>? Fields = null, TimeSpan RetryAfter = default,
    string? Detail = null, IReadOnlyDictionary<string, RegistrationError>? AllFields = null)
{
    public IReadOnlyList<string> ErrorFields => Fields ?? [];

    /// <summary>The problem of each field that has one: all of them after the field checks, else those of <see cref="Error"/>.</summary>
    public IReadOnlyDictionary<string, RegistrationError> FieldErrors =>
        AllFields ?? (Error is { } e ? ErrorFields.ToDictionary(f => f, _ => e) : new Dictionary<string, RegistrationError>());
}

/// <summary>
/// Creating a password account (name, email, password) for the account API (POST /api/auth/register) and the
/// /login/register page alike: the same policy switch, checks, per-IP limit and Identity user. Signing in is the
/// caller's, since the API and the pages issue different cookies.
/// </summary>
internal sealed class PasswordRegistration(UserManager<IdpUser> users, FixedWindowLimiter limiter, IOptionsMonitor<LoginOptions> login,
    IRegistrationLimit registrations, IOptions<IdentityOptions> identity, TimeProvider clock)
{
    /// <summary>The rate-limit bucket shared by the page and the API, so using both does not double the allowance.</summary>
    private const string Bucket = "account-register";

    /// <summary>Self-service registration is offered: the password method is on and the policy allows registration.</summary>
    public bool Open => login.CurrentValue is { PasswordEnabled: true, PasswordRegistration: true };

    /// <summary>Identity's minimum password length (8), said in error texts.</summary>
    public int MinimumPasswordLength => identity.Value.Password.RequiredLength;

    public async Task<RegistrationResult> RegisterAsync(string? name, string? email, string? password, string clientIp, CancellationToken ct)
    {
        if (!Open) return new(null, RegistrationError.Closed);
        (name, email) = (name?.Trim(), email?.Trim());
        var problems = FieldProblems(name, email, password);
        if (problems.Count > 0)
        {
            // The API answers with one kind of problem, the most basic first; the page shows every field's at once.
            var first = problems.Values.Min();
            return new(null, first, [.. problems.Where(p => p.Value == first).Select(p => p.Key)], AllFields: problems);
        }

        var limit = await limiter.HitAsync(Bucket, clientIp, registrations.PerHour, TimeSpan.FromHours(1), ct);
        if (!limit.Allowed) return new(null, RegistrationError.RateLimited, RetryAfter: limit.RetryAfter(clock.GetUtcNow()));
        // Password accounts log in by email, and phone accounts have the phone as UserName: either match means taken.
        if (await users.FindByEmailAsync(email!) is not null || await users.FindByNameAsync(email!) is not null)
            return new(null, RegistrationError.EmailTaken, ["email"]);

        var user = new IdpUser { UserName = email, Email = email, DisplayName = name, LockoutEnabled = true, CreatedAt = clock.GetUtcNow() };
        var created = await users.CreateAsync(user, password!);
        if (created.Succeeded) return new(user);
        // Password rules belong to the password field; anything else (characters Identity refuses in a user name,
        // a duplicate created a moment ago by another request) to the email.
        var field = created.Errors.All(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? "password" : "email";
        return new(null, RegistrationError.Rejected, [field], Detail: string.Join(" ", created.Errors.Select(e => e.Description)));
    }

    /// <summary>Each field checked on its own, in form order; an empty result means all three are fine.</summary>
    private Dictionary<string, RegistrationError> FieldProblems(string? name, string? email, string? password)
    {
        var problems = new Dictionary<string, RegistrationError>();
        if (string.IsNullOrEmpty(name)) problems["name"] = RegistrationError.Missing;
        else if (name.Length > 100) problems["name"] = RegistrationError.NotValid;
        if (string.IsNullOrEmpty(email)) problems["email"] = RegistrationError.Missing;
        else if (email.Length > 256 || !email.Contains('@')) problems["email"] = RegistrationError.NotValid;
        if (string.IsNullOrEmpty(password)) problems["password"] = RegistrationError.Missing;
        else if (password.Length < MinimumPasswordLength) problems["password"] = RegistrationError.PasswordTooShort;
        return problems;
    }
}
