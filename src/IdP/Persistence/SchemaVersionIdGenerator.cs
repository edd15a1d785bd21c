using Microsoft.EntityFrameworkCore.Migrations.Internal;
using System.Text.RegularExpressions;

namespace WaIdentity.IdP.Persistence;

/// <summary>
/// Schema version ids here are "NNNN_Name", not EF's "yyyyMMddHHmmss_Name". EF's generator takes the name as
/// everything after character 15, which throws on the short ids as soon as a version is looked up by name
/// (e.g. migrating to the version before the newest).
/// </summary>
#pragma warning disable EF1001 // MigrationsIdGenerator is internal API; overriding two members is the documented extension point.
public sealed partial class SchemaVersionIdGenerator : MigrationsIdGenerator
{
    public override string GetName(string id) => ShortId().IsMatch(id) ? id[(id.IndexOf('_') + 1)..] : base.GetName(id);

    public override bool IsValidId(string value) => ShortId().IsMatch(value) || base.IsValidId(value);

    [GeneratedRegex("^[0-9]{4}_.+$")]
    private static partial Regex ShortId();
}
#pragma warning restore EF1001
