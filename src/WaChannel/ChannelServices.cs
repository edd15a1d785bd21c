using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Codes;
using WaIdentity.WaChannel.Configuration;
using WaIdentity.WaChannel.Delivery;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.MessageLog;
using WaIdentity.WaChannel.Retention;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Providers.CloudApi;
using WaIdentity.WaChannel.Providers.Sms;
using WaIdentity.WaChannel.Sandbox;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.WaChannel;

public static class ChannelServices
{
    /// <summary>Registers the channel. The host supplies the database (<paramref name="configureDb"/>) and schedules the jobs.</summary>
    public static IServiceCollection AddWaChannel(
        this IServiceCollection services, IConfiguration configuration, Action<IServiceProvider, DbContextOptionsBuilder> configureDb)
    {
        services.AddOptions<ChannelOptions>().Bind(configuration.GetSection(ChannelOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChannelOptions>, ChannelOptionsValidator>();
        services.AddDbContext<ChannelDbContext>(configureDb);
        services.AddDataProtection();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new ChannelRuntime(sp.GetRequiredService<IOptions<ChannelOptions>>().Value, sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton<ProviderEndpoints>();
        services.AddSingleton<ChannelAvailabilityReader>();
        services.AddSingleton<PayloadProtector>();
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<WebhookSignal>();

        services.AddScoped<ICodeSender, CodeSender>();
        services.AddScoped<ITextSender, TextSender>();
        services.AddScoped<OutboxWriter>();
        services.AddScoped<SendLimiter>();
        services.AddMetrics();
        services.AddSingleton<ChannelMeters>();
        services.AddSingleton<WaIdentity.WaChannel.Telemetry.ChannelGauges>();
        services.AddHostedService(sp => sp.GetRequiredService<WaIdentity.WaChannel.Telemetry.ChannelGauges>());
        services.AddScoped<MessageDispatch>();
        services.AddSingleton<RetryBudget>();
        services.AddScoped<DeliveryStatusReader>();
        services.AddScoped<DeliveryTracker>();
        services.AddScoped<FallbackSender>();
        services.AddScoped<WebhookInbox>();
        services.AddScoped<WebhookHandling>();
        services.AddScoped<CloudApiEventHandler>();
        services.AddScoped<SmsStatusHandler>();
        services.AddScoped<InboundDispatcher>();
        services.AddScoped<MessageLogReader>();
        services.AddScoped<DeliveryStatistics>();
        services.AddScoped<ChannelRetention>();
        services.AddScoped<IMessageProvider, CloudApiProvider>();
        services.AddScoped<IMessageProvider, TwilioSmsProvider>();
        // Timeout and circuit breaker, no retry (the outbox retries). Each send is cut earlier at Dispatch:SendTimeoutSeconds
        // (at most 50) by the dispatcher, which then treats its outcome as unknown; the lease is renewed while a call runs.
        services.AddHttpClient(CloudApiProvider.HttpClientName).AddProviderResilience();
        services.AddHttpClient(TwilioSmsProvider.HttpClientName).AddProviderResilience();
        services.AddHttpClient(SandboxStatusSender.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));

        services.AddHostedService<DisabledChannelWarning>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddHostedService<WebhookProcessor>();
        services.AddSingleton<SandboxFaults>();
        services.AddSingleton<SandboxStatusSender>();
        services.AddHostedService<SandboxStatusResumption>();
        services.AddSingleton<SandboxTemplates>();
        services.AddScoped<WaIdentity.WaChannel.Providers.CloudApi.AuthenticationTemplates>();
        services.AddChannelDevice(configuration);
        return services;
    }

    /// <summary>Maps the webhooks, and in Sandbox the emulators and the dev inbox.</summary>
    public static IEndpointRouteBuilder MapWaChannel(this IEndpointRouteBuilder app)
    {
        WebhookEndpoints.Map(app);
        app.MapChannelDevice(app.ServiceProvider.GetRequiredService<ChannelRuntime>().IsSandbox);
        if (!app.ServiceProvider.GetRequiredService<ChannelRuntime>().IsSandbox) return app;
        app.MapPost("/sandbox/whatsapp/{version}/{phoneNumberId}/messages", CloudApiEmulator.SendAsync);
        app.MapGet("/sandbox/whatsapp/{version}/{wabaId}/message_templates", CloudApiTemplateEmulator.List);
        app.MapPost("/sandbox/whatsapp/{version}/{wabaId}/message_templates", CloudApiTemplateEmulator.CreateAsync);
        app.MapPost("/sandbox/twilio/2010-04-01/Accounts/{accountSid}/Messages.json", TwilioEmulator.SendAsync);
        DevInboxApi.Map(app);
        DevInboxPage.Map(app);
        return app;
    }
}
