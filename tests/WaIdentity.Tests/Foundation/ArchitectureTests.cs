using System.Reflection;
using Mono.Cecil;
using NetArchTest.Rules;
using WaIdentity.Admin;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Persistence;
using WaIdentity.WaChannel;
using WaIdentity.WaChannel.Sandbox;

namespace WaIdentity.Tests.Foundation;

/// <summary>
/// The allowed directions between projects and namespaces, checked on the compiled assemblies: IdP -> Admin ->
/// WaChannel and IdP -> WaChannel; inside the IdP, Login -> nothing above it, Oidc -> Login, Gateway -> Oidc and Login;
/// Sessions -> not Oidc, Oidc -> not Account.
/// A forbidden reference fails here with the types that make it.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Channel = typeof(ChannelServices).Assembly;
    private static readonly Assembly AdminPortal = typeof(AdminActor).Assembly;
    private static readonly Assembly Idp = typeof(IdpApp).Assembly;
    private static readonly Assembly Sandbox = typeof(SandboxServices).Assembly;

    private const string IdpNamespace = "WaIdentity.IdP";
    private const string AdminNamespace = "WaIdentity.Admin";
    private const string Login = "WaIdentity.IdP.Login";
    private const string Oidc = "WaIdentity.IdP.Oidc";
    private const string Gateway = "WaIdentity.IdP.Gateway";
    private const string Sessions = "WaIdentity.IdP.Sessions";
    private const string Account = "WaIdentity.IdP.Account";

    /// <summary>Libraries that only an OpenID provider or client would use.</summary>
    private static readonly string[] OidcLibraries = ["Microsoft.IdentityModel", "Microsoft.AspNetCore.Authentication.OpenIdConnect", "System.IdentityModel.Tokens.Jwt"];

    [Fact]
    public void The_channel_knows_nothing_of_the_IdP_the_admin_portal_or_OIDC()
    {
        Holds(Types.InAssembly(Channel).ShouldNot().HaveDependencyOnAny([IdpNamespace, AdminNamespace, .. OidcLibraries]));
        Holds(Types.InAssembly(Channel).ShouldNot().HaveNameMatching("(?i)oidc|openid"));
        Holds(Types.InAssembly(Channel).ShouldNot().ResideInNamespaceMatching("(?i)oidc|openid"));
    }

    [Fact]
    public void The_sandbox_knows_nothing_of_the_IdP_the_admin_portal_or_OIDC()
    {
        Holds(Types.InAssembly(Sandbox).ShouldNot().HaveDependencyOnAny([IdpNamespace, AdminNamespace, .. OidcLibraries]));
    }

    /// <summary>
    /// Types are internal unless another project uses them: every public type of the channel, the sandbox and the
    /// portal is referenced by another production assembly, and the IdP (the host, used by nobody) makes public only
    /// what xunit needs to see (a theory's parameter type).
    /// </summary>
    [Fact]
    public void A_type_is_public_only_when_another_project_uses_it()
    {
        var exported = new[] { Channel, AdminPortal, Sandbox }.SelectMany(a => a.GetExportedTypes()).ToList();
        var used = new[] { Idp, AdminPortal, Sandbox }.SelectMany(ReferencedTypeNames)
            .Concat(exported.SelectMany(ExposedTypes).Select(t => t.FullName!)).ToHashSet();
        // A constant is copied into the code that reads it, so a type read only for its constants leaves no reference.
        var needless = exported.Where(t => !t.IsNested && !used.Contains(t.FullName!) && !HasConstants(t)).Select(t => t.FullName).ToList();
        Assert.True(!needless.Any(), "Public, yet no other project uses: " + string.Join(", ", needless));
        // Top-level statements' Program is public by the compiler's choice.
        Assert.Equal([typeof(DatabaseProvider)], Idp.GetExportedTypes().Where(t => !t.IsNested && t.Name != "Program"));
    }

    private static bool HasConstants(Type type) => !type.IsEnum && type.GetFields(BindingFlags.Public | BindingFlags.Static).Any(f => f.IsLiteral);

    /// <summary>The types a public type shows in its own public face (the compiler makes those public too).</summary>
    private static IEnumerable<Type> ExposedTypes(Type type)
    {
        const BindingFlags visible = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var shown = new List<Type>(type.GetInterfaces());
        if (type.BaseType is { } b) shown.Add(b);
        shown.AddRange(type.GetProperties(visible).Select(p => p.PropertyType));
        shown.AddRange(type.GetFields(visible).Select(f => f.FieldType));
        foreach (var m in type.GetMethods(visible).Cast<MethodBase>().Concat(type.GetConstructors(visible)))
        {
            if (m is MethodInfo mi) shown.Add(mi.ReturnType);
            shown.AddRange(m.GetParameters().Select(p => p.ParameterType));
        }
        return shown.SelectMany(Unwrapped).Where(t => t != type);
    }

    private static IEnumerable<Type> Unwrapped(Type t) =>
        t.HasElementType ? Unwrapped(t.GetElementType()!)
        : t.IsGenericType ? t.GetGenericArguments().SelectMany(Unwrapped).Prepend(t.GetGenericTypeDefinition())
        : [t];

    /// <summary>The types an assembly names from other assemblies: in signatures, calls, attributes and typeof.</summary>
    private static IEnumerable<string> ReferencedTypeNames(Assembly assembly)
    {
        using var module = ModuleDefinition.ReadModule(assembly.Location);
        return module.GetTypeReferences().Select(r => r.FullName)
            .Concat(module.GetMemberReferences().Select(m => m.DeclaringType.GetElementType().FullName)).ToList();
    }

    [Fact]
    public void The_admin_portal_does_not_depend_on_the_IdP()
    {
        Holds(Types.InAssembly(AdminPortal).ShouldNot().HaveDependencyOn(IdpNamespace));
    }

    [Fact]
    public void Login_depends_on_neither_OIDC_nor_the_gateway()
    {
        Holds(Types.InAssembly(Idp).That().ResideInNamespace(Login).ShouldNot().HaveDependencyOnAny(Oidc, Gateway));
    }

    [Fact]
    public void OIDC_does_not_depend_on_the_gateway()
    {
        Holds(Types.InAssembly(Idp).That().ResideInNamespace(Oidc).ShouldNot().HaveDependencyOn(Gateway));
    }

    [Fact]
    public void Sessions_do_not_depend_on_OIDC()
    {
        Holds(Types.InAssembly(Idp).That().ResideInNamespace(Sessions).ShouldNot().HaveDependencyOn(Oidc));
    }

    [Fact]
    public void OIDC_does_not_depend_on_the_account_pages()
    {
        Holds(Types.InAssembly(Idp).That().ResideInNamespace(Oidc).ShouldNot().HaveDependencyOn(Account));
    }

    private static void Holds(ConditionList rule)
    {
        var result = rule.GetResult();
        Assert.True(result.IsSuccessful, "Forbidden references in: " + string.Join(", ", result.FailingTypeNames ?? []));
    }
}
