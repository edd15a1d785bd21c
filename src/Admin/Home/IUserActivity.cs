namespace WaIdentity.Admin.Home;

/// <summary>Who uses the IdP, for the portal's home page. A port: the host counts its users and sessions.</summary>
public interface IUserActivity
{
    Task<UserActivitySummary> ReadAsync(DateTimeOffset since, CancellationToken ct = default);
}

/// <param name="Users">Every account.</param>
/// <param name="NewUsers">Accounts created since the start of the period.</param>
/// <param name="Locked">Accounts locked now.</param>
/// <param name="Logins">Logins (new sessions) since the start, by what was used: "pwd", "wa", "sms", "mfa" (a second factor), as in amr.</param>
public sealed record UserActivitySummary(int Users, int NewUsers, int Locked, int LoginTotal, IReadOnlyDictionary<string, int> Logins);
