using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Users;

namespace WaIdentity.IdP.AdminPorts;

internal sealed class AdminOptions : IValidatableOptions
{
    public const string Section = "Admin";

    /// <summary>Admins must have signed in with a second factor (session acr loa:2). Turn off only for a first set-up.</summary>
    public bool RequireSecondFactor { get; set; } = true;

    public IEnumerable<string> Validate(string section) => [];
}

/// <summary>The portal's policy: the admin role, read from the database on each request (so removing the role or
/// locking the account takes effect at once), and a two-factor session when required.</summary>
internal sealed class AdminAccessRequirement : IAuthorizationRequirement;

internal sealed class AdminAccessHandler(Microsoft.AspNetCore.Identity.UserManager<IdpUser> users, IOptions<AdminOptions> options, TimeProvider clock)
    : AuthorizationHandler<AdminAccessRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminAccessRequirement requirement)
    {
        var userId = context.User.FindFirst(SessionClaims.Subject)?.Value;
        if (userId is null) return;
        if (options.Value.RequireSecondFactor && context.User.FindFirst(SessionClaims.Acr)?.Value != AuthenticationLevels.TwoFactors) return;
        var user = await users.FindByIdAsync(userId);
        if (user is null || user.LockoutEnd > clock.GetUtcNow()) return;
        if (await users.IsInRoleAsync(user, Roles.Admin)) context.Succeed(requirement);
    }
}
