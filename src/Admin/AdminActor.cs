using System.Security.Claims;

namespace WaIdentity.Admin;

/// <summary>
/// Who is acting, for the audit log: the signed-in identity's name. The host chooses the claim that names its users
/// (the IdP's session names them by subject), so the portal reads no claim type of its own.
/// </summary>
internal static class AdminActor
{
    public static string Id(ClaimsPrincipal user) => user.Identity?.Name ?? "unknown";
}
