using WaIdentity.IdP.Configuration;

namespace WaIdentity.IdP.Persistence;

public enum DatabaseProvider { Sqlite, PostgreSQL, SqlServer }

internal sealed class DatabaseOptions : IValidatableOptions
{
    public const string Section = "Database";

    /// <summary>Sqlite (default, a file under ./data), PostgreSQL or SqlServer.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>ADO.NET connection string. Empty with Sqlite means <c>Data Source=data/waidentity.db</c>.</summary>
    public string ConnectionString { get; set; } = "";

    public DatabaseProvider Kind => Enum.Parse<DatabaseProvider>(Provider, ignoreCase: true);

    public string EffectiveConnectionString =>
        ConnectionString.Length > 0 || Kind != DatabaseProvider.Sqlite ? ConnectionString : "Data Source=data/waidentity.db";

    public IEnumerable<string> Validate(string section)
    {
        foreach (var p in OptionRules.OneOf($"{section}:Provider", Provider, "Sqlite", "PostgreSQL", "SqlServer")) { yield return p; yield break; }
        if (Kind != DatabaseProvider.Sqlite)
            foreach (var p in OptionRules.Required($"{section}:ConnectionString", ConnectionString)) yield return p;
    }
}
