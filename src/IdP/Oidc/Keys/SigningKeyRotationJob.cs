using Quartz;

namespace WaIdentity.IdP.Oidc.Keys;

/// <summary>Hourly: publishes the next signing key ahead of the current one's retirement (see SigningKeyStore).</summary>
[DisallowConcurrentExecution]
internal sealed class SigningKeyRotationJob(SigningKeyStore store) : IJob
{
    public const string Name = "oidc-signing-key-rotation";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct) => await store.RotateAsync(ct);
}
