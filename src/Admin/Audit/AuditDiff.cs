using System.Text.Json;

namespace WaIdentity.Admin.Audit;

/// <summary>One changed field of an audit entry: its dotted path and its JSON value before and after (null: absent).</summary>
internal sealed record AuditChange(string Field, string? Before, string? After);

/// <summary>
/// Turns an audit entry's before/after JSON into the fields that changed, so a person reads "DisplayName: Notes → Notes
/// app" instead of two walls of JSON. Objects are followed into dotted paths; arrays and scalars compare as their JSON.
/// A value that is not an object (or not JSON) is one field named "".
/// </summary>
internal static class AuditDiff
{
    public static IReadOnlyList<AuditChange> Changes(string? before, string? after)
    {
        var b = Flatten(before);
        var a = Flatten(after);
        return b.Keys.Union(a.Keys)
            .Select(k => new AuditChange(k, b.GetValueOrDefault(k), a.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After)
            .ToList();
    }

    private static Dictionary<string, string> Flatten(string? json)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json)) return fields;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == JsonValueKind.Null) return fields;
            Walk(doc.RootElement, "", fields);
        }
        catch (JsonException) { fields[""] = json; }
        return fields;
    }

    private static void Walk(JsonElement e, string path, Dictionary<string, string> fields)
    {
        if (e.ValueKind == JsonValueKind.Object && e.EnumerateObject().Any())
        {
            foreach (var p in e.EnumerateObject()) Walk(p.Value, path.Length == 0 ? p.Name : $"{path}.{p.Name}", fields);
            return;
        }
        fields[path] = e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();
    }
}
