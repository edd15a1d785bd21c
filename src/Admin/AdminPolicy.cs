namespace WaIdentity.Admin;

/// <summary>The authorization policy every /admin page requires; the host defines it (admin role).</summary>
public static class AdminPolicy
{
    public const string Name = "admin";
}
