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
using WaIdentity.WaChannel.Jobs;
using WaIdentity.WaChannel.MessageLog;
using WaIdentity.WaChannel.Retention;
using WaIdentity.WaChannel.Outbox;
using WaIdentity.WaChannel.Persistence;
using WaIdentity.WaChannel.Providers;
using WaIdentity.WaChannel.Providers.CloudApi;
using WaIdentity.WaChannel.Providers.Sms;
using WaIdentity.WaChannel.Webhooks;

namespace WaIdentity.WaChannel;

public static class ChannelServices
{
    /// <summary>
    /// Registers the channel and schedules its jobs. The host supplies the database (<paramref name="configureDb"/>)
    /// and hosts the one Quartz scheduler of the process, whose store the jobs run in.
    /// </summary>
    public static IServiceCollection AddWaChannel(
        this IServiceCollection services, IConfiguration configuration, Action<IServiceProvider, DbContextOptionsBuilder> configureDb)
    {
        services.AddOptions<ChannelOptions>().Bind(configuration.GetSection(ChannelOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChannelOptions>, ChannelOptionsValidator>();
        services.AddDbContextPool<ChannelDbContext>(configureDb);
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
        services.AddRecurringJob<FallbackTimeoutJob>(FallbackTimeoutJob.Name,
            sp => TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<ChannelOptions>>().Value.Fallback.CheckIntervalSeconds));
        services.AddSingleton<WebhookInbox>();
        services.AddScoped<WebhookLeases>();
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

        services.AddHostedService<DisabledChannelWarning>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddHostedService<WebhookProcessor>();
        services.AddScoped<WaIdentity.WaChannel.Providers.CloudApi.AuthenticationTemplates>();
        services.AddChannelDevice(configuration);
        return services;
    }

    /// <summary>Maps the providers' webhooks. The emulators and the dev inbox are the sandbox project's (MapWaChannelSandbox).</summary>
    public static IEndpointRouteBuilder MapWaChannel(this IEndpointRouteBuilder app)
    {
        WebhookEndpoints.Map(app);
        app.MapChannelDevice();
        return app;
    }
}
