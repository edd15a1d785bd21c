using Quartz;

namespace WaIdentity.IdP.Oidc.Keys;

/// <summary>Hourly: publishes the next signing key ahead of the current one's retirement (see SigningKeyStore).</summary>
[DisallowConcurrentExecution]
public sealed class SigningKeyRotationJob(SigningKeyStore store) : IJob
{
    public const string Name = "oidc-signing-key-rotation";

    public Task Execute(IJobExecutionContext context) => store.RotateAsync(context.CancellationToken);
}
