using Microsoft.Extensions.Options;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Gateway.Device;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Oidc.Discovery;
using WaIdentity.IdP.Oidc.Logout;
using WaIdentity.WaChannel.Inbound;
using WaIdentity.WaChannel.Jobs;

namespace WaIdentity.IdP.Gateway;

internal static class GatewayServices
{
    public const string CorsPolicy = "gateway-api";

    public static IServiceCollection AddIdpGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GatewayOptions>(configuration, GatewayOptions.Section);
        services.AddSingleton<IHostAddressResolver, DnsHostAddressResolver>();
        services.AddSingleton(sp => new CallbackUrlPolicy(sp.GetRequiredService<IHostAddressResolver>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Webhooks.AllowPrivateAddresses ?? sp.GetRequiredService<IHostEnvironment>().IsDevelopment()));
        services.AddScoped<GatewayAuthenticator>();
        services.AddSingleton<Microsoft.AspNetCore.Cors.Infrastructure.ICorsPolicyProvider, GatewayCorsPolicyProvider>();
        services.AddScoped<GatewayClientSettings>();
        services.AddScoped<GatewayApiKeys>();
        services.AddScoped<SelfService.DeveloperApps>();
        services.AddScoped<MessagesEndpoint>();
        services.AddScoped<VerificationCodeEndpoint>();
        services.AddScoped<WebhookQueue>();
        services.AddScoped<LogoutTokenDelivery>();
        services.AddScoped<ILogoutTokenQueue>(sp => sp.GetRequiredService<LogoutTokenDelivery>());
        services.AddSingleton<IRegistrationLimit, AccountRegistrationLimit>();
        services.AddSingleton(new ApiScopes(GatewayScopes.All));
        services.AddScoped<WebhookReplay>();
        services.AddScoped<IInboundMessageSubscriber, VerificationInbound>();
        services.AddScoped<IUnclaimedInboundHandler, InboundForwarder>();
        services.AddScoped<IExpiredRowPurger, GatewayRowPurger>();
        services.AddHostedService<GatewayClientSeeder>();
        services.AddSingleton<WebhookSender>();
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigureHttpClient((sp, c) => c.Timeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Webhooks.TimeoutSeconds))
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookSender.CreateHandler(sp.GetRequiredService<CallbackUrlPolicy>()));
        services.AddScoped<WebhookDeliveryQueue>();
        services.AddSingleton<WebhookDeliverySignal>();
        services.AddHostedService<WebhookDeliveryWorker>();
        services.AddAccountApi(configuration);
        services.AddGatewayApiDocs();
        services.AddDeviceApi();
        return services;
    }

    public static WebApplication MapIdpGateway(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.ApiDocs) app.UseGatewayApiDocs();
        var api = app.MapGroup("/api/v1").DisableAntiforgery().WithTags("Gateway");
        api.MapPost("/messages", (HttpContext h, MessagesEndpoint e) => e.SendAsync(h))
            .WithName("SendMessage").WithSummary("Queue a WhatsApp text (scope wa.send)")
            .WithDescription("To a person (to: E.164, WhatsApp with SMS fallback) or, with is_group: true, to a WhatsApp group "
                + "(to: 120363…@g.us) through the linked device; 422 groups-unavailable when the device is off. "
                + "WhatsAuth's field names are taken too: isgroup for is_group (also \"true\"), message or messages for text; "
                + "to may be +62…, 62… or 08… (the default country). See the two examples.")
            .Accepts<SendMessageRequest>("application/json").Produces<MessageView>(202).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(422).ProducesProblem(429);
        // WhatsAuth's send routes (v2 and the older v1 path its samples use), for apps written against it.
        foreach (var path in new[] { "/api/v2/send/message/text", "/api/send/message/text" })
            app.MapPost(path, (HttpContext h, MessagesEndpoint e) => e.SendWhatsAuthAsync(h)).DisableAntiforgery().WithTags("WhatsAuth compatibility")
                .WithName(path.Contains("v2") ? "WhatsAuthSendText" : "WhatsAuthSendTextV1")
                .WithSummary("WhatsAuth's send route (scope wa.send)")
                .WithDescription("The same as POST /api/v1/messages for an app written for WhatsAuth: its body { to, isgroup, messages } "
                    + "and its Token header (an access token or API key) are taken as they are; the answer is 200 with WhatsAuth's "
                    + "response sentence beside this API's fields, and a refusal carries WhatsAuth's error sentence beside the problem details.")
                .Accepts<WhatsAuthTextMessage>("application/json").Produces<MessageView>(200).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(422).ProducesProblem(429);
        api.MapGet("/messages/{id}", (HttpContext h, string id, MessagesEndpoint e) => e.GetAsync(h, id))
            .WithName("GetMessage").WithSummary("A queued message's delivery status (scope wa.send)")
            .Produces<MessageView>().ProducesProblem(401).ProducesProblem(404);
        // Browser apps may call the verification endpoints from their registered origins (CORS, see GatewayCorsPolicyProvider).
        api.MapGet("/verification_code", (HttpContext h, string? callback_url, string? type, VerificationCodeEndpoint e) => e.CreateAsync(h, callback_url, type))
            .WithName("CreateVerificationCode").WithSummary("A code for the user to send from WhatsApp (scope wa.verify)")
            .WithDescription("type (code, link or deep_link; default code) is what the answer leads with: its value field. "
                + "Callable from a browser page whose origin the client registered (CORS); any other origin is 403 origin-not-allowed.")
            .RequireCors(CorsPolicy)
            .Produces<VerificationCodeView>().ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(429).ProducesProblem(503);
        api.MapGet("/verification_code/{id}", (HttpContext h, string id, VerificationCodeEndpoint e) => e.GetAsync(h, id))
            .WithName("GetVerification").WithSummary("Poll a verification (scope wa.verify)")
            .RequireCors(CorsPolicy)
            .Produces<VerificationView>().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        DeviceEndpoints.Map(api);
        AccountApiEndpoints.Map(app);
        return app;
    }
}
