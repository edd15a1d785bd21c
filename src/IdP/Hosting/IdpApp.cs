using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Account;
using WaIdentity.IdP.AdminPorts;
using WaIdentity.IdP.Channel;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Gateway;
using WaIdentity.IdP.Jobs;
using WaIdentity.IdP.Metrics;
using WaIdentity.IdP.Login;
using WaIdentity.IdP.Login.SendCode;
using WaIdentity.IdP.Oidc;
using WaIdentity.IdP.Persistence;
using WaIdentity.IdP.RateLimiting;
using WaIdentity.IdP.Sessions;
using WaIdentity.IdP.Settings;
using WaIdentity.IdP.Users;
using WaIdentity.WaChannel;

namespace WaIdentity.IdP.Hosting;

/// <summary>Builds the web host: services from each feature, then the request pipeline. Tests build it the same way.</summary>
internal static class IdpApp
{
    public static readonly string[] SupportedCultures = ["en", "id"];

    /// <summary>English by default, Indonesian by choice (the switcher's cookie, ?culture=, or Accept-Language read by
    /// <see cref="SupportedAcceptLanguage"/> instead of the framework's provider).</summary>
    private static RequestLocalizationOptions Localization()
    {
        var options = new RequestLocalizationOptions().SetDefaultCulture("en").AddSupportedCultures(SupportedCultures).AddSupportedUICultures(SupportedCultures);
        var framework = options.RequestCultureProviders.OfType<AcceptLanguageHeaderRequestCultureProvider>().Single();
        options.RequestCultureProviders[options.RequestCultureProviders.IndexOf(framework)] = new SupportedAcceptLanguage(SupportedCultures);
        return options;
    }

    /// <param name="commandLine">True when a CLI verb runs: logs go to stderr so stdout stays machine-readable.</param>
    /// <param name="replaceServices">Runs after every feature has registered its services; tests replace the clock here.</param>
    public static WebApplication Build(string[] args, IReadOnlyDictionary<string, string?>? overrides = null, bool commandLine = false,
        Action<IServiceCollection>? replaceServices = null)
    {
        // ApplicationName pins Razor Pages discovery to this assembly even when a test host is the entry assembly.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(IdpApp).Assembly.GetName().Name });
        if (overrides is not null) builder.Configuration.AddInMemoryCollection(overrides);
        builder.Configuration.AddSandboxBusinessNumber(builder.Environment);
        builder.Configuration.AddSettingsOverlay();
        if (commandLine)
        {
            builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        else LogFormatOptions.Apply(builder.Logging, builder.Configuration, builder.Environment);
        AddServices(builder.Services, builder.Configuration, builder.Environment);
        replaceServices?.Invoke(builder.Services);
        var app = builder.Build();
        UsePipeline(app);
        return app;
    }

    private static void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddValidatedOptions<HostingOptions>(configuration, HostingOptions.Section);
        services.AddSingleton<IConfigureOptions<HostOptions>>(sp => new ConfigureOptions<HostOptions>(o =>
            o.ShutdownTimeout = TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<HostingOptions>>().Value.ShutdownTimeoutSeconds)));
        services.AddIdpPersistence(configuration);
        services.AddIdpUsers();
        services.AddIdpSessions(configuration, environment);
        services.AddIdpRateLimiting();
        services.AddIdpJobs(configuration);
        services.AddIdpMetrics(configuration);
        services.AddIdpChannel(configuration);
        services.AddIdpSandbox(configuration, environment);
        services.AddIdpLogin(configuration);
        services.AddIdpOidc(configuration);
        services.AddIdpAccount(configuration);
        services.AddIdpGateway(configuration);

        services.AddProblemDetails();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddRazorPages(PageConventions.Apply).AddViewLocalization().AddDataAnnotationsLocalization(o =>
            o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(SharedResource)));
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = environment.IsDevelopment() ? "waid.csrf" : "__Host-waid.csrf";
            o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365)); // ASVS 3.4.1 asks for at least a year
        services.AddHealthChecks().AddDbContextCheck<IdpDbContext>("database", tags: ["ready"]);
        services.AddIdpAdminPorts(configuration);
        services.AddIdpSettings(configuration);
    }

    private static void UsePipeline(WebApplication app)
    {
        var hosting = app.Services.GetRequiredService<IOptions<HostingOptions>>().Value;
        // No trusted proxy: no forwarded-headers middleware at all. With empty KnownProxies and KnownIPNetworks the
        // middleware skips its proxy check and believes X-Forwarded-* from anyone, so clearing the lists is not enough.
        if (hosting.TrustedProxies.Length > 0) app.UseForwardedHeaders(ForwardedHeaders(hosting));
        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseIdpExceptionHandler();
        app.UseIdpStatusCodePages();
        app.UseMiddleware<RequestBodyLimit>();
        app.UseMiddleware<ControlCharacterGuard>();
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseRequestLocalization(Localization());
        app.UseStaticFiles();
        app.UseRouting();
        app.UseMiddleware<RequestMetricsMiddleware>();
        app.UseCors();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapIdpMetrics();
        app.MapRazorPages();
        app.MapLanguageSwitch();
        app.MapIdpLogin();
        app.MapIdpOidc();
        app.MapIdpGateway();
        app.MapWaChannel();
        app.MapIdpSandbox();
    }

    /// <summary>X-Forwarded-* is believed only from configured proxies (ASVS 4.1.3, RFC 9700 4.13).</summary>
    private static ForwardedHeadersOptions ForwardedHeaders(HostingOptions hosting)
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in hosting.TrustedProxies) options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        return options;
    }
}
