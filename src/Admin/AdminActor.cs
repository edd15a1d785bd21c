using System.Security.Claims;

namespace WaIdentity.Admin;

/// <summary>Who is acting, for the audit log: the session's subject.</summary>
public static class AdminActor
{
    public static string Id(ClaimsPrincipal user) => user.FindFirstValue("sub") ?? "unknown";
}
