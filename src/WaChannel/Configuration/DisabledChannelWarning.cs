using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WaIdentity.WaChannel.Configuration;

/// <summary>
/// Says at start, once and loudly, that no code can be sent: outside Development a server without provider settings
/// runs with the channel Disabled (never the sandbox), and login pages tell people codes cannot be sent.
/// </summary>
internal sealed class DisabledChannelWarning(ChannelRuntime runtime, IHostEnvironment environment, ILogger<DisabledChannelWarning> log) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        if (runtime.Mode == ChannelMode.Disabled)
            log.LogWarning(
                "Channel is Disabled in the {Environment} environment: no WhatsApp (Channel:WhatsApp:AccessToken, PhoneNumberId, AppSecret) " +
                "or SMS (Channel:Sms:AccountSid, AuthToken, From) settings, so no login code or message can be sent. The sandbox and " +
                "dev inbox run only in Development.", environment.EnvironmentName);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
