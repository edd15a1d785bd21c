namespace WaIdentity.IdP.Users;

internal static class Roles
{
    public const string Admin = "admin";
}
