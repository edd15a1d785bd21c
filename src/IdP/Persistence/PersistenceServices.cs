using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using WaIdentity.IdP.Configuration;
using WaIdentity.IdP.Persistence.KeyRing;

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
        services.AddValidatedOptions<KeyRingOptions>(configuration, KeyRingOptions.Section);
        services.AddSingleton<IValidateOptions<KeyRingOptions>, KeyEncryptionKeyRequirement>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<IServiceScopeFactory>());
            if (sp.GetRequiredService<IOptions<KeyRingOptions>>().Value.KeyBytes is { } key) o.XmlEncryptor = new KeyRingXmlEncryptor(key);
        }));
        return services;
    }
}
