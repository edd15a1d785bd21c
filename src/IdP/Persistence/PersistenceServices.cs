using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Persistence;

public static class PersistenceServices
{
    public static IServiceCollection AddIdpPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<DatabaseOptions>(configuration, DatabaseOptions.Section);
        services.AddDbContext<IdpDbContext>((sp, b) => DatabaseConfigurator.Configure(
            b, sp.GetRequiredService<IOptions<DatabaseOptions>>().Value, IdpDbContext.HistoryTable, typeof(IdpDbContext).Assembly.GetName().Name!));
        services.AddSingleton(new SchemaOwner(typeof(IdpDbContext)));
        services.AddSingleton<SchemaMigrator>();

        services.AddDataProtection().SetApplicationName("WaIdentity");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IServiceScopeFactory>())));
        return services;
    }
}
