using Microsoft.Extensions.Options;
using WaIdentity.IdP.Login;

namespace WaIdentity.IdP.Gateway;

/// <summary>The registration limit from <c>Gateway:Account:RegistrationsPerHour</c>.</summary>
internal sealed class AccountRegistrationLimit(IOptionsMonitor<GatewayOptions> options) : IRegistrationLimit
{
    public int PerHour => options.CurrentValue.Account.RegistrationsPerHour;
}
