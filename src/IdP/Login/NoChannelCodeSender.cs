using WaIdentity.WaChannel.Codes;

namespace WaIdentity.IdP.Login;

/// <summary>
/// Stands in when no channel is registered: nothing can be delivered, which the login page says plainly. Test
/// numbers still work, since their delivery is suppressed anyway. The channel feature's sender replaces it.
/// </summary>
public sealed class NoChannelCodeSender : ICodeSender
{
    public ChannelAvailability Availability { get; } = new(false, false);

    public Task<MessageHandle> SendCodeAsync(CodeRequest request, CancellationToken ct = default) =>
        request.Suppressed
            ? Task.FromResult(new MessageHandle(Guid.NewGuid()))
            : throw new InvalidOperationException("No WhatsApp or SMS channel is configured.");

    public Task<DeliveryStatus?> GetStatusAsync(MessageHandle handle, CancellationToken ct = default) => Task.FromResult<DeliveryStatus?>(null);
}
