using Microsoft.EntityFrameworkCore;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.IdP.Settings;

/// <summary>Reads the settings table into the overlay. Every node runs it at start, after a save, and on a poll.</summary>
internal sealed class SettingsOverlayLoader(
    IServiceScopeFactory scopes,
    SettingsOverlayProvider overlay,
    SettingsProtector protector,
    ILogger<SettingsOverlayLoader> log)
{
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<IdpDbContext>().Set<SettingRow>().AsNoTracking().ToListAsync(ct);
        var values = new List<KeyValuePair<EditableSetting, string?>>();
        foreach (var row in rows)
        {
            var setting = EditableSettings.Find(row.Key);
            if (setting is null)
            {
                log.LogWarning("Setting {Key} in the database is not editable; ignored", row.Key);
                continue;
            }
            var value = setting.Secret && row.Value is not null ? protector.TryUnprotect(row.Value) : row.Value;
            if (setting.Secret && row.Value is not null && value is null)
            {
                log.LogWarning("Secret setting {Key} cannot be decrypted (Data Protection key ring changed?); the configured value applies", row.Key);
                continue;
            }
            values.Add(new(setting, value));
        }
        if (overlay.Apply(values)) log.LogInformation("Settings overlay reloaded: {Count} settings from the portal", rows.Count);
    }
}
