namespace WaIdentity.IdP.Users;

public static class Roles
{
    public const string Admin = "admin";
}
