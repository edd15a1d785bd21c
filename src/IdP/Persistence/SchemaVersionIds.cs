using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Migrations;

namespace WaIdentity.IdP.Persistence;

/// <summary>
/// Schema version ids are "000N_Name", not EF's 14-digit timestamps. EF's default id generator assumes the timestamp
/// (it cuts 15 characters off to get the name), which crashes as soon as anything migrates to a named target version.
/// </summary>
internal sealed partial class SchemaVersionIds : IMigrationsIdGenerator
{
    public string GenerateId(string name) => name;

    public string GetName(string id) => id.IndexOf('_') is var i and >= 0 ? id[(i + 1)..] : id;

    public bool IsValidId(string value) => VersionId().IsMatch(value);

    [GeneratedRegex(@"^\d{4}_.+$")]
    private static partial Regex VersionId();
}
