using System.Reflection;
using NetArchTest.Rules;
using WaIdentity.Admin;
using WaIdentity.IdP.Hosting;
using WaIdentity.WaChannel;

namespace WaIdentity.Tests.Foundation;

/// <summary>
/// The allowed directions between projects and namespaces, checked on the compiled assemblies: IdP -> Admin ->
/// WaChannel and IdP -> WaChannel; inside the IdP, Login -> nothing above it, Oidc -> Login, Gateway -> Oidc and Login.
/// A forbidden reference fails here with the types that make it.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly Assembly Channel = typeof(ChannelServices).Assembly;
    private static readonly Assembly AdminPortal = typeof(AdminActor).Assembly;
    private static readonly Assembly Idp = typeof(IdpApp).Assembly;

    private const string IdpNamespace = "WaIdentity.IdP";
    private const string AdminNamespace = "WaIdentity.Admin";
    private const string Login = "WaIdentity.IdP.Login";
    private const string Oidc = "WaIdentity.IdP.Oidc";
    private const string Gateway = "WaIdentity.IdP.Gateway";

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

    private static void Holds(ConditionList rule)
    {
        var result = rule.GetResult();
        Assert.True(result.IsSuccessful, "Forbidden references in: " + string.Join(", ", result.FailingTypeNames ?? []));
    }
}
