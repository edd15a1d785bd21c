using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using WaIdentity.IdP.Sessions;
using WaIdentity.Admin;
using WaIdentity.Admin.Audit;
using WaIdentity.Admin.Users;
using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.AdminPorts;

internal static class AdminPortServices
{
    /// <summary>The portal's policy and the ports it declares, implemented over the IdP's stores.</summary>
    public static IServiceCollection AddIdpAdminPorts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AdminOptions>(configuration, AdminOptions.Section);
        services.AddScoped<IAuthorizationHandler, AdminAccessHandler>();
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy.Name, p => p.AddRequirements(new AdminAccessRequirement()));
        services.PostConfigure<CookieAuthenticationOptions>(SessionClaims.Scheme, o => o.Events.OnRedirectToAccessDenied = AdminStepUp.OnAccessDeniedAsync);
        services.AddSingleton<IScriptNonce, ScriptNonce>();
        services.AddScoped<IUserDirectory, UserDirectory>();
        services.AddScoped<IUserPasskeys, UserPasskeys>();
        services.AddScoped<WaIdentity.Admin.Home.IUserActivity, UserActivity>();
        services.AddScoped<IAuditLog, AuditLog>();
        services.AddScoped<WaIdentity.Admin.Settings.ISettingsStore, SettingsStore>();
        services.AddSingleton<WaIdentity.Admin.Settings.ISettingsCatalogue, SettingsCatalogue>();
        services.AddScoped<WaIdentity.Admin.Clients.IClientAdmin, ClientAdmin>();
        services.AddScoped<WaIdentity.Admin.Webhooks.IWebhookDeliveries, WebhookDeliveries>();
        services.AddScoped<WaIdentity.Admin.Apps.IAppAdmin, AppAdmin>();
        return services;
    }
}
