namespace WaIdentity.IdP.Jobs;

/// <summary>Deletes one kind of row whose lifetime is over. Each feature with expiring rows registers one.</summary>
internal interface IExpiredRowPurger
{
    string Name { get; }
    Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct);
}
