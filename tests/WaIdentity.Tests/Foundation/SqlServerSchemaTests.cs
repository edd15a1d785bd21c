using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Persistence;

namespace WaIdentity.Tests.Foundation;

/// <summary>
/// No SQL Server engine runs here, so the schema versions are checked offline: EF writes the SQL Server script of
/// every version of both contexts (no connection needed), a T-SQL parser reads it back, and the tables it builds
/// are compared with what the model expects on SQL Server. With WAIDENTITY_TEST_SQLSERVER set, the data tests
/// also run against a live server (see TestDatabase).
/// </summary>
public sealed class SqlServerSchemaTests
{
    private static readonly Dictionary<string, string?> SqlServerSettings = new()
    {
        ["Database:Provider"] = "SqlServer",
        ["Database:ConnectionString"] = "Server=127.0.0.1,1;Database=waidentity;User Id=waidentity;Password=unused;TrustServerCertificate=True",
    };

    [Fact]
    public async Task Both_contexts_script_their_schema_versions_as_valid_T_SQL()
    {
        foreach (var (name, script, _) in await ScriptsAsync())
        {
            new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out var errors);
            Assert.True(errors.Count == 0, $"{name}: " + string.Join("; ", errors.Select(e => $"line {e.Line}: {e.Message}")));
        }
    }

    [Fact]
    public async Task The_scripted_tables_have_every_column_of_the_model_with_its_SQL_Server_type_and_identity()
    {
        foreach (var (name, script, model) in await ScriptsAsync())
        {
            var built = Replay(script);
            var problems = new List<string>();
            foreach (var table in model.Tables)
                foreach (var column in table.Columns)
                {
                    if (!built.Columns.TryGetValue((table.Name.ToLowerInvariant(), column.Name.ToLowerInvariant()), out var got))
                    {
                        problems.Add($"{table.Name}.{column.Name} missing");
                        continue;
                    }
                    var expectedIdentity = column.PropertyMappings.Any(m =>
                        SqlServerPropertyExtensions.GetValueGenerationStrategy(m.Property, StoreObjectIdentifier.Table(table.Name, table.Schema)) == Microsoft.EntityFrameworkCore.Metadata.SqlServerValueGenerationStrategy.IdentityColumn);
                    var expected = new BuiltColumn(Normalize(column.StoreType), column.IsNullable, expectedIdentity);
                    if (got != expected) problems.Add($"{table.Name}.{column.Name}: built {got}, model wants {expected}");
                }
            Assert.True(problems.Count == 0, $"{name}: " + string.Join("; ", problems));
        }
    }

    [Fact]
    public async Task Keys_and_indexes_are_on_indexable_columns_unique_indexes_let_many_rows_be_null_and_alters_keep_indexes_valid()
    {
        foreach (var (name, script, _) in await ScriptsAsync())
        {
            var built = Replay(script);
            var problems = new List<string>();
            foreach (var index in built.Indexes)
            {
                foreach (var column in index.Columns)
                {
                    var type = built.Columns.TryGetValue((index.Table, column), out var c) ? c.StoreType : "?";
                    if (type.EndsWith("(max)", StringComparison.Ordinal) || type is "?" or "text" or "ntext" or "image")
                        problems.Add($"{index.Name} on {index.Table}.{column} ({type})");
                }
                // On SQL Server a unique index admits one NULL; SQLite and PostgreSQL admit many, so the schema filters.
                var nullable = index.Columns.Where(col => built.Columns.TryGetValue((index.Table, col), out var c) && c.Nullable).ToList();
                if (index is { Unique: true, PrimaryKey: false } && nullable.Count > 0 && nullable.Any(col => index.Filter?.Contains($"[{col}] is not null", StringComparison.OrdinalIgnoreCase) != true))
                    problems.Add($"{index.Name}: unique over nullable {string.Join(", ", nullable)} without an IS NOT NULL filter");
            }
            // SQL Server alters an indexed column only to widen it within the same type, and never a primary key's.
            foreach (var (table, column, from, to) in built.Alters)
                foreach (var index in built.Indexes.Where(i => i.Table == table && i.Columns.Contains(column)))
                    if (index.PrimaryKey || !IsWidening(from, to))
                        problems.Add($"{table}.{column} altered from {from} to {to} under {index.Name}");
            Assert.True(problems.Count == 0, $"{name}: " + string.Join("; ", problems));
        }
    }

    private static bool IsWidening(string from, string to)
    {
        static (string Type, int Length)? Split(string t) =>
            t.IndexOf('(') is > 0 and var open && int.TryParse(t[(open + 1)..^1], out var n) ? (t[..open], n) : null;
        return Split(from) is { } a && Split(to) is { } b && a.Type == b.Type && a.Type is "nvarchar" or "varchar" or "varbinary" && b.Length >= a.Length;
    }

    private static async Task<List<(string Context, string Script, IRelationalModel Model)>> ScriptsAsync()
    {
        await using var app = IdpApp.Build(["--environment", "Development"], SqlServerSettings);
        var scripts = new List<(string, string, IRelationalModel)>();
        foreach (var owner in app.Services.GetServices<SchemaOwner>())
        {
            await using var scope = app.Services.CreateAsyncScope();
            var ctx = (DbContext)scope.ServiceProvider.GetRequiredService(owner.ContextType);
            Assert.Equal("Microsoft.EntityFrameworkCore.SqlServer", ctx.Database.ProviderName);
            scripts.Add((owner.ContextType.Name, ctx.GetService<IMigrator>().GenerateScript(), ctx.GetService<IDesignTimeModel>().Model.GetRelationalModel()));
        }
        Assert.Equal(2, scripts.Count);
        return scripts;
    }

    private sealed record BuiltColumn(string StoreType, bool Nullable, bool Identity);

    private sealed record BuiltIndex(string Name, string Table, IReadOnlyList<string> Columns, bool Unique, bool PrimaryKey, string? Filter);

    private sealed class BuiltSchema
    {
        public Dictionary<(string Table, string Column), BuiltColumn> Columns { get; } = [];
        public List<BuiltIndex> Indexes { get; } = [];
        public List<(string Table, string Column, string From, string To)> Alters { get; } = [];
    }

    /// <summary>Plays the script's DDL forward: the columns each table ends with, and every key and index built.</summary>
    private static BuiltSchema Replay(string script)
    {
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(script), out var errors);
        Assert.Empty(errors);
        var schema = new BuiltSchema();
        var visitor = new DdlVisitor(schema, script);
        fragment.Accept(visitor);
        return schema;
    }

    private static string Normalize(string storeType) => storeType.Replace(" ", "").ToLowerInvariant();

    private sealed class DdlVisitor(BuiltSchema schema, string script) : TSqlFragmentVisitor
    {
        public override void Visit(CreateTableStatement node) => AddDefinition(Table(node.SchemaObjectName), node.Definition);

        public override void Visit(AlterTableAddTableElementStatement node) => AddDefinition(Table(node.SchemaObjectName), node.Definition);

        public override void Visit(AlterTableAlterColumnStatement node)
        {
            var key = (Table(node.SchemaObjectName), node.ColumnIdentifier.Value.ToLowerInvariant());
            if (node.DataType is null || !schema.Columns.TryGetValue(key, out var old)) return;
            schema.Columns[key] = old with { StoreType = TypeOf(node.DataType) };
            schema.Alters.Add((key.Item1, key.Item2, old.StoreType, TypeOf(node.DataType)));
        }

        public override void Visit(CreateIndexStatement node) => schema.Indexes.Add(new BuiltIndex(
            node.Name.Value, Table(node.OnName), node.Columns.Select(c => ColumnName(c.Column)).ToList(), node.Unique, false,
            node.FilterPredicate is null ? null : script.Substring(node.FilterPredicate.StartOffset, node.FilterPredicate.FragmentLength)));

        private void AddDefinition(string table, TableDefinition? definition)
        {
            if (definition is null) return;
            foreach (var column in definition.ColumnDefinitions)
            {
                var nullable = column.Constraints.OfType<NullableConstraintDefinition>().FirstOrDefault()?.Nullable ?? true;
                schema.Columns[(table, column.ColumnIdentifier.Value.ToLowerInvariant())] =
                    new BuiltColumn(column.DataType is null ? "?" : TypeOf(column.DataType), nullable, column.IdentityOptions is not null);
            }
            foreach (var key in definition.TableConstraints.OfType<UniqueConstraintDefinition>())
                schema.Indexes.Add(new BuiltIndex(key.ConstraintIdentifier?.Value ?? "(unnamed key)", table,
                    key.Columns.Select(c => ColumnName(c.Column)).ToList(), true, key.IsPrimaryKey, null));
        }

        private static string Table(SchemaObjectName name) => name.BaseIdentifier.Value.ToLowerInvariant();

        private static string ColumnName(ColumnReferenceExpression column) => column.MultiPartIdentifier.Identifiers[^1].Value.ToLowerInvariant();

        private static string TypeOf(DataTypeReference type)
        {
            var name = type.Name.BaseIdentifier.Value.ToLowerInvariant();
            return type is ParameterizedDataTypeReference { Parameters.Count: > 0 } p
                ? $"{name}({string.Join(",", p.Parameters.Select(l => l.Value.ToLowerInvariant()))})"
                : name;
        }
    }
}
