namespace WaIdentity.IdP.Login;

/// <summary>
/// How many accounts one client IP may register per hour. The registration page and the account API share the
/// number, which the API's settings hold, so the host provides it.
/// </summary>
internal interface IRegistrationLimit
{
    int PerHour { get; }
}
