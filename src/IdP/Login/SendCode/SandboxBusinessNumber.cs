using Microsoft.Extensions.Configuration.Memory;
using WaIdentity.IdP.Channel;
using WaIdentity.WaChannel.Sandbox;

namespace WaIdentity.IdP.Login.SendCode;

/// <summary>
/// In the sandbox, send-code login gets the emulated WhatsApp account's number as its business number, so both phone
/// methods are there in a run with no configuration. It is the lowest-priority source: any configured number wins.
/// </summary>
internal static class SandboxBusinessNumber
{
    public const string Key = LoginOptions.Section + ":SendCode:BusinessNumber";

    public static void AddSandboxBusinessNumber(this ConfigurationManager configuration, IHostEnvironment environment)
    {
        if (!SandboxWiring.IsSandbox(configuration, environment)) return;
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new(Key, "+" + SandboxCredentials.BusinessNumber)],
        });
    }
}
