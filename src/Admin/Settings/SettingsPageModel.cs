using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;

namespace WaIdentity.Admin.Settings;

/// <summary>
/// A page of settings: shows the values in force, saves the posted ones through <see cref="ISettingsStore"/> (which
/// refuses values the options' rules reject: each message goes next to its field) and audits what changed.
/// </summary>
public abstract class SettingsPageModel(ISettingsStore store, IAuditLog audit, IStringLocalizer<AdminText> text) : PageModel
{
    protected IAuditLog Audit => audit;
    protected IStringLocalizer<AdminText> Strings => text;

    public abstract IReadOnlyList<SettingFieldGroup> Groups { get; }
    protected abstract string AuditAction { get; }

    public IReadOnlyDictionary<string, SettingValue> Values { get; private set; } = new Dictionary<string, SettingValue>();
    public IReadOnlyDictionary<string, string?>? Entered { get; private set; }
    public List<string> OtherProblems { get; } = [];
    [TempData] public string? Message { get; set; }

    private IEnumerable<SettingField> Fields => Groups.SelectMany(g => g.Fields);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Values = store.Read(Fields.Select(f => f.Key));
        await LoadAsync(ct);
    }

    /// <summary>What a page shows beside its settings (e.g. the WhatsApp templates' status).</summary>
    protected virtual Task LoadAsync(CancellationToken ct) => Task.CompletedTask;

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A field missing from the form is left alone (a switch posts a hidden "false" before its checkbox).
        var posted = Fields.Where(f => Request.Form.ContainsKey(f.Key)).ToDictionary(f => f.Key, Posted);
        var result = await store.SaveAsync(posted, AdminActor.Id(User), ct);
        if (!result.Saved)
        {
            foreach (var problem in result.Problems) Attach(problem);
            Values = store.Read(Fields.Select(f => f.Key));
            Entered = posted;
            await LoadAsync(ct);
            return Page();
        }
        if (result.After.Count > 0) await audit.RecordAsync(AdminActor.Id(User), AuditAction, "settings", result.Before, result.After, ct);
        Message = result.After.Count > 0 ? text["Settings_Saved"] : text["Settings_Unchanged"];
        return RedirectToPage();
    }

    /// <summary>What the form shows in a field: the value just entered after a refusal, else the value in force.</summary>
    public string? Shown(SettingField field) =>
        field.Kind == SettingFieldKind.Secret ? null
        : Entered is not null ? Entered.GetValueOrDefault(field.Key)
        : Values.GetValueOrDefault(field.Key)?.Value;

    public bool IsOn(SettingField field) => string.Equals(Shown(field), "true", StringComparison.OrdinalIgnoreCase);

    private string? Posted(SettingField field) => field.Kind == SettingFieldKind.Switch
        ? (Request.Form[field.Key].Contains("true") ? "true" : "false")
        : Request.Form[field.Key].FirstOrDefault();

    /// <summary>A "Key: problem" line goes next to the field of that key, or above the form.</summary>
    private void Attach(string problem)
    {
        var field = Fields.FirstOrDefault(f => problem.StartsWith(f.Key + ":", StringComparison.OrdinalIgnoreCase));
        if (field is null) OtherProblems.Add(problem);
        else ModelState.AddModelError(field.Key, problem[(field.Key.Length + 1)..].Trim());
    }
}
