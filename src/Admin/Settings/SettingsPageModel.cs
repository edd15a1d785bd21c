using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using WaIdentity.Admin.Audit;

namespace WaIdentity.Admin.Settings;

/// <summary>
/// A page of settings: shows the values in force, saves the posted ones through <see cref="ISettingsStore"/> (which
/// refuses values the options' rules reject: each message goes next to its field) and audits what changed.
/// </summary>
internal abstract class SettingsPageModel(ISettingsStore store, ISettingsCatalogue catalogue, IAuditLog audit, IStringLocalizer<AdminText> text) : PageModel
{
    protected IAuditLog Audit => audit;
    protected IStringLocalizer<AdminText> Strings => text;

    /// <summary>Which of the catalogue's groups this page shows.</summary>
    protected abstract SettingsPage Shows { get; }
    public IReadOnlyList<SettingFieldGroup> Groups => groups ??= catalogue.Groups.Where(g => g.Page == Shows).ToList();
    private IReadOnlyList<SettingFieldGroup>? groups;
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
        Values = store.Read(Fields.Select(f => f.Key));
        var refusals = OutOfRange(posted).Concat(await RefuseAsync(After(posted), ct)).ToList();
        if (refusals.Count > 0)
        {
            foreach (var (key, problem) in refusals) ModelState.AddModelError(key, problem);
            return await ShowAgainAsync(posted, ct);
        }
        var result = await store.SaveAsync(posted, AdminActor.Id(User), ct);
        if (!result.Saved)
        {
            foreach (var problem in result.Problems) Attach(problem);
            return await ShowAgainAsync(posted, ct);
        }
        if (result.After.Count > 0) await audit.RecordAsync(AdminActor.Id(User), AuditAction, "settings", result.Before, result.After, ct);
        Message = result.After.Count > 0 ? text["Settings_Saved"] : text["Settings_Unchanged"];
        return RedirectToPage();
    }

    /// <summary>"Reset to default": drops the portal's value of one field, unless what comes back is refused.</summary>
    public async Task<IActionResult> OnPostResetAsync(string key, CancellationToken ct)
    {
        var field = Fields.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase));
        if (field is null) return BadRequest();
        Values = store.Read(Fields.Select(f => f.Key));
        var refusals = (await RefuseAsync(After(new Dictionary<string, string?> { [field.Key] = Values[field.Key].Default }), ct)).ToList();
        if (refusals.Count > 0)
        {
            foreach (var (k, problem) in refusals) ModelState.AddModelError(k, problem);
            await LoadAsync(ct);
            return Page();
        }
        var result = await store.ResetAsync(field.Key, AdminActor.Id(User), ct);
        if (result.After.Count > 0) await audit.RecordAsync(AdminActor.Id(User), AuditAction, "settings", result.Before, result.After, ct);
        Message = text["Settings_ResetDone", text[field.Label]];
        return RedirectToPage();
    }

    /// <summary>
    /// A page's own rules over the values as they would be after the change (every field of the page): (key, message)
    /// for each refusal, shown next to that field. Nothing is saved when one refuses.
    /// </summary>
    protected virtual Task<IEnumerable<(string Key, string Problem)>> RefuseAsync(IReadOnlyDictionary<string, string?> after, CancellationToken ct) =>
        Task.FromResult(Enumerable.Empty<(string, string)>());

    /// <summary>The value in force of a field before the change being checked.</summary>
    protected string? Current(string key) => Values.GetValueOrDefault(key)?.Value;

    /// <summary>The value in force of any editable setting (the host's default when nobody set it), outside the form.</summary>
    protected string? InForce(string key) => store.Read([key])[key].Value;

    private Dictionary<string, string?> After(IReadOnlyDictionary<string, string?> changes)
    {
        var after = Fields.ToDictionary(f => f.Key, f => Current(f.Key), StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in changes) after[key] = value;
        return after;
    }

    private IEnumerable<(string Key, string Problem)> OutOfRange(IReadOnlyDictionary<string, string?> posted) =>
        Fields.Where(f => f.Kind == SettingFieldKind.Number && f.Min is not null && f.Max is not null && posted.ContainsKey(f.Key)
                && !InRange(posted[f.Key], f.Min.Value, f.Max.Value))
            .Select(f => (f.Key, text["Settings_Range", f.Min!.Value, f.Max!.Value].Value));

    private static bool InRange(string? value, int min, int max) =>
        int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max;

    private async Task<IActionResult> ShowAgainAsync(IReadOnlyDictionary<string, string?> posted, CancellationToken ct)
    {
        Entered = posted;
        await LoadAsync(ct);
        return Page();
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

    /// <summary>A problem goes next to the field it names, or above the form (another page's setting, or the whole form).</summary>
    private void Attach(FieldProblem problem)
    {
        var field = Fields.FirstOrDefault(f => string.Equals(f.Key, problem.Field, StringComparison.OrdinalIgnoreCase));
        if (field is null) OtherProblems.Add(problem.ToString());
        else ModelState.AddModelError(field.Key, problem.Message);
    }
}
