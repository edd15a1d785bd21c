using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WaIdentity.WaChannel.Providers;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The sandbox: emulators of the Cloud API, Twilio and the device gateway on this node, and the dev inbox. The host
/// calls both methods only when Channel:Mode resolves to Sandbox (Development only), so no other configuration has an
/// emulator endpoint to reach.
/// </summary>
public static class SandboxServices
{
    public static IServiceCollection AddWaChannelSandbox(this IServiceCollection services)
    {
        services.AddSingleton(new SandboxProviders(
            CloudApiEmulator.Prefix, SandboxCredentials.PhoneNumberId, SandboxCredentials.BusinessAccountId, SandboxCredentials.AccessToken,
            SandboxCredentials.AppSecret, SandboxCredentials.VerifyToken,
            TwilioEmulator.Prefix, SandboxCredentials.AccountSid, SandboxCredentials.AuthToken, SandboxCredentials.SmsFrom,
            DeviceGatewayEmulator.Prefix, DeviceSandboxCredentials.ApiKey, DeviceSandboxCredentials.HmacKey));
        services.AddHttpClient(SandboxStatusSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<SandboxFaults>();
        services.AddSingleton<SandboxStatusSender>();
        services.AddHostedService<SandboxStatusResumption>();
        services.AddSingleton<SandboxTemplates>();
        services.AddSingleton<DeviceGatewayWebhooks>();
        services.AddSingleton<DeviceGatewaySimulator>();
        return services;
    }

    public static IEndpointRouteBuilder MapWaChannelSandbox(this IEndpointRouteBuilder app)
    {
        app.MapPost(CloudApiEmulator.Prefix + "/{version}/{phoneNumberId}/messages", CloudApiEmulator.SendAsync);
        app.MapGet(CloudApiEmulator.Prefix + "/{version}/{wabaId}/message_templates", CloudApiTemplateEmulator.List);
        app.MapPost(CloudApiEmulator.Prefix + "/{version}/{wabaId}/message_templates", CloudApiTemplateEmulator.CreateAsync);
        app.MapPost(TwilioEmulator.Prefix + "/2010-04-01/Accounts/{accountSid}/Messages.json", TwilioEmulator.SendAsync);
        DeviceGatewayEmulator.Map(app);
        DevInboxApi.Map(app);
        DeviceInboxApi.Map(app);
        DevInboxPage.Map(app);
        return app;
    }
}
