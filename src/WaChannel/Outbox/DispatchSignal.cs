using WaIdentity.WaChannel.Queues;

namespace WaIdentity.WaChannel.Outbox;

public sealed class DispatchSignal : WorkSignal;
