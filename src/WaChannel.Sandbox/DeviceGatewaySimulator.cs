using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WaIdentity.WaChannel.Device;
using WaIdentity.WaChannel.Persistence;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The sandbox gateway's sessions and the simulated business phone: STARTING, then a QR that rotates (first one
/// long, later ones short) until scanned or typed in as a pairing code, or FAILED after the last one; WORKING after
/// linking. Each transition is posted as a signed `session.status` webhook, in order. Timings from Channel:Device:Emulator.
/// </summary>
public sealed class DeviceGatewaySimulator(
    IHttpClientFactory http, IServiceScopeFactory scopes, IOptions<DeviceOptions> options, IHostApplicationLifetime lifetime,
    TimeProvider clock, ILogger<DeviceGatewaySimulator> log)
{
    private const string CodeAlphabet = "123456789ABCDEFGHJKLMNPQRSTVWXYZ";
    private readonly object _gate = new();
    private readonly Dictionary<string, SimSession> _sessions = new();
    private readonly Dictionary<string, string> _lids = new();
    private readonly Dictionary<string, SandboxGroup> _groups = new();
    private readonly Channel<(string Url, string Key, string Body)> _webhooks = Channel.CreateUnbounded<(string, string, string)>();
    private int _senderStarted;

    private sealed class SimSession(string name, string webhookUrl, string hmacKey)
    {
        public string Name { get; } = name;
        public string WebhookUrl { get; } = webhookUrl;
        public string HmacKey { get; } = hmacKey;
        public string Status { get; set; } = DeviceStatus.Stopped;
        public List<(string Status, long At)> History { get; } = [];
        public string? MeDigits { get; set; }
        public string? Qr { get; set; }
        public string? PairingCode { get; set; }
        public string? PairingPhone { get; set; }
        public CancellationTokenSource Run { get; set; } = new();
    }

    private DeviceEmulatorOptions Timing => options.Value.Emulator;

    public bool Create(string name, bool start, string webhookUrl, string hmacKey)
    {
        lock (_gate)
        {
            if (_sessions.ContainsKey(name)) return false;
            _sessions[name] = new SimSession(name, webhookUrl, hmacKey);
        }
        if (start) Start(name);
        return true;
    }

    public JsonObject? Describe(string name)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(name, out var s)) return null;
            return new JsonObject { ["name"] = s.Name, ["status"] = s.Status, ["me"] = Me(s), ["engine"] = new JsonObject { ["engine"] = "NOWEB" } };
        }
    }

    public bool Start(string name) => With(name, s =>
    {
        if (s.Status is DeviceStatus.Starting or DeviceStatus.ScanQrCode or DeviceStatus.Working) return;
        var run = NewRun(s);
        SetStatus(s, DeviceStatus.Starting);
        _ = Task.Run(() => BootAsync(s, run.Token));
    });

    public bool Stop(string name) => With(name, s =>
    {
        NewRun(s);
        SetStatus(s, DeviceStatus.Stopped);
    });

    public bool Restart(string name) => Stop(name) && Start(name);

    /// <summary>Drops the link (as the gateway's logout); a running session starts over with a new QR.</summary>
    public bool Logout(string name)
    {
        var running = false;
        var known = With(name, s =>
        {
            running = s.Status != DeviceStatus.Stopped;
            s.MeDigits = null;
            NewRun(s);
            SetStatus(s, DeviceStatus.Stopped);
        });
        return known && (!running || Start(name));
    }

    public bool Delete(string name)
    {
        Logout(name);
        Stop(name);
        lock (_gate) return _sessions.Remove(name);
    }

    public string? CurrentQr(string name) { lock (_gate) return _sessions.TryGetValue(name, out var s) ? s.Qr : null; }

    /// <summary>A pairing code for the phone, or null outside the QR window (the gateway then answers 422).</summary>
    public string? RequestCode(string name, string digits)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(name, out var s) || s.Status != DeviceStatus.ScanQrCode) return null;
            var bytes = RandomNumberGenerator.GetBytes(8);
            var code = new string(bytes.Select(b => CodeAlphabet[b % CodeAlphabet.Length]).ToArray());
            s.PairingCode = code[..4] + "-" + code[4..];
            s.PairingPhone = digits;
            return s.PairingCode;
        }
    }

    /// <summary>The phone scans a QR: it links only if that QR is the one on offer right now.</summary>
    public bool Scan(string name, string qr, string phoneDigits) =>
        Link(name, s => s.Qr is not null && s.Qr == qr ? phoneDigits : null);

    /// <summary>The phone types a pairing code: it links the number the code was requested for, inside the window only.</summary>
    public bool EnterCode(string name, string code) =>
        Link(name, s => s.PairingCode is not null && string.Equals(s.PairingCode.Replace("-", ""), code.Replace("-", "").Trim(), StringComparison.OrdinalIgnoreCase) ? s.PairingPhone : null);

    /// <summary>The connection drops (the link survives): FAILED until restarted.</summary>
    public bool Disconnect(string name) => With(name, s =>
    {
        NewRun(s);
        SetStatus(s, DeviceStatus.Failed);
    });

    /// <summary>The phone removes the linked device: FAILED, and a restart needs a new scan.</summary>
    public bool Unlink(string name) => With(name, s =>
    {
        s.MeDigits = null;
        NewRun(s);
        SetStatus(s, DeviceStatus.Failed);
    });

    /// <summary>A person writes to the linked number; null when the device is not working (nothing can arrive).</summary>
    public string? Receive(string name, string fromDigits, string text, string? profileName, bool asLid)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(name, out var s) || s.Status != DeviceStatus.Working) return null;
            var from = fromDigits + "@c.us";
            if (asLid)
            {
                from = _lids.FirstOrDefault(p => p.Value == fromDigits).Key ?? RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue) + "00000@lid";
                _lids[from] = fromDigits;
            }
            var id = $"false_{from}_{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";
            var data = new JsonObject { ["pushName"] = profileName };
            Emit(s, "message", new JsonObject
            {
                ["id"] = id, ["timestamp"] = clock.GetUtcNow().ToUnixTimeSeconds(), ["from"] = from, ["fromMe"] = false, ["source"] = "app",
                ["to"] = s.MeDigits + "@c.us", ["participant"] = null, ["body"] = text, ["hasMedia"] = false, ["ack"] = 1, ["ackName"] = "SERVER",
                ["vCards"] = new JsonArray(), ["replyTo"] = null, ["_data"] = data,
            });
            return id;
        }
    }

    /// <summary>A group the linked number is in, as a person would create one on their phone.</summary>
    public SandboxGroup CreateGroup(string subject, IReadOnlyList<string> memberPhones)
    {
        var id = "120363" + RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue) + RandomNumberGenerator.GetInt32(1000, 9999) + GroupChatId.Suffix;
        var group = new SandboxGroup(id, subject, memberPhones);
        lock (_gate) _groups[id] = group;
        return group;
    }

    public IReadOnlyList<SandboxGroup> Groups() { lock (_gate) return _groups.Values.ToList(); }

    public bool KnowsChat(string chatId) { lock (_gate) return !GroupChatId.IsGroup(chatId) || _groups.ContainsKey(chatId); }

    /// <summary>
    /// After a sendText: the server's ack at once, then the device's (every member's phone, for a group) a moment
    /// later, as `message.ack` webhooks in that order.
    /// </summary>
    public void AcknowledgeSent(string name, string messageId, string chatId)
    {
        SimSession? session;
        lock (_gate) _sessions.TryGetValue(name, out session);
        if (session is null) return;
        EmitAck(session, messageId, chatId, 1, "SERVER");
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(Timing.AckDelayMilliseconds, lifetime.ApplicationStopping);
                // The dev inbox shows what the phones did, like the other emulators' messages.
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ChannelDbContext>().Set<SandboxMessage>().Where(m => m.Id == messageId)
                    .ExecuteUpdateAsync(u => u.SetProperty(m => m.State, "delivered"), lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException) { return; }
            EmitAck(session, messageId, chatId, 2, "DEVICE");
        });
    }

    private void EmitAck(SimSession s, string messageId, string chatId, int ack, string ackName)
    {
        lock (_gate)
            Emit(s, "message.ack", new JsonObject
            {
                ["id"] = messageId, ["from"] = s.MeDigits + "@c.us", ["to"] = chatId, ["participant"] = null, ["fromMe"] = true,
                ["ack"] = ack, ["ackName"] = ackName,
            });
    }

    public bool IsWorking(string name) { lock (_gate) return _sessions.TryGetValue(name, out var s) && s.Status == DeviceStatus.Working; }

    public string? PhoneForLid(string lid) { lock (_gate) return _lids.TryGetValue(lid, out var pn) ? pn : null; }

    private bool Link(string name, Func<SimSession, string?> phoneFor)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(name, out var s) || s.Status != DeviceStatus.ScanQrCode || phoneFor(s) is not { } phone) return false;
            var run = NewRun(s);
            _ = Task.Run(async () =>
            {
                try { await Task.Delay(Timing.LinkDelayMilliseconds, run.Token); }
                catch (OperationCanceledException) { return; }
                Advance(s, run.Token, () => { s.MeDigits = phone; SetStatus(s, DeviceStatus.Working); });
            });
            return true;
        }
    }

    private async Task BootAsync(SimSession s, CancellationToken run)
    {
        try
        {
            await Task.Delay(Timing.StartDelayMilliseconds, run);
            if (Advance(s, run, () => { if (s.MeDigits is not null) SetStatus(s, DeviceStatus.Working); }) && s.MeDigits is not null) return;
            for (var i = 0; i < Timing.QrCount; i++)
            {
                if (!Advance(s, run, () => { s.Qr = NewQr(); SetStatus(s, DeviceStatus.ScanQrCode); })) return;
                await Task.Delay(i == 0 ? Timing.FirstQrMilliseconds : Timing.NextQrMilliseconds, run);
            }
            Advance(s, run, () => SetStatus(s, DeviceStatus.Failed));
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Applies a step of a run unless that run was superseded (stopped, restarted, linked) meanwhile.</summary>
    private bool Advance(SimSession s, CancellationToken run, Action step)
    {
        lock (_gate)
        {
            if (run.IsCancellationRequested) return false;
            step();
            return true;
        }
    }

    private bool With(string name, Action<SimSession> action)
    {
        lock (_gate)
        {
            if (!_sessions.TryGetValue(name, out var s)) return false;
            action(s);
            return true;
        }
    }

    private static CancellationTokenSource NewRun(SimSession s)
    {
        s.Run.Cancel();
        s.Run = new CancellationTokenSource();
        s.Qr = null;
        return s.Run;
    }

    /// <summary>Called under the lock. Leaving the QR window also ends the pairing code's life.</summary>
    private void SetStatus(SimSession s, string status)
    {
        if (status != DeviceStatus.ScanQrCode) s.Qr = s.PairingCode = s.PairingPhone = null;
        s.Status = status;
        s.History.Add((status, clock.GetUtcNow().ToUnixTimeMilliseconds()));
        if (s.History.Count > 3) s.History.RemoveAt(0);
        var statuses = new JsonArray(s.History.Select(h => (JsonNode)new JsonObject { ["status"] = h.Status, ["timestamp"] = h.At }).ToArray());
        Emit(s, "session.status", new JsonObject { ["status"] = status, ["statuses"] = statuses, ["data"] = null });
    }

    private static JsonNode? Me(SimSession s) =>
        s.MeDigits is null ? null : new JsonObject { ["id"] = s.MeDigits + "@c.us", ["pushName"] = "Sandbox Business" };

    /// <summary>ref,noise key,identity key,adv secret: the shape whatsmeow and Baileys put in the QR.</summary>
    private static string NewQr() =>
        string.Join(',', "2@" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    private void Emit(SimSession s, string evt, JsonObject payload)
    {
        var envelope = new JsonObject
        {
            ["id"] = "evt_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(13)),
            ["timestamp"] = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            ["event"] = evt, ["session"] = s.Name, ["metadata"] = new JsonObject(), ["me"] = Me(s), ["payload"] = payload,
            ["environment"] = new JsonObject { ["version"] = "sandbox", ["engine"] = "NOWEB", ["tier"] = "CORE" }, ["engine"] = "NOWEB",
        };
        _webhooks.Writer.TryWrite((s.WebhookUrl, s.HmacKey, envelope.ToJsonString()));
        if (Interlocked.Exchange(ref _senderStarted, 1) == 0) _ = Task.Run(SendWebhooksAsync);
    }

    /// <summary>One sender, so webhooks arrive in the order the transitions happened.</summary>
    private async Task SendWebhooksAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            await foreach (var (url, key, body) in _webhooks.Reader.ReadAllAsync(stopping))
                for (var attempt = 1; attempt <= 3 && !await PostAsync(url, key, body, stopping); attempt++)
                    await Task.Delay(200 * attempt, stopping);
        }
        catch (OperationCanceledException) { }
    }

    private async Task<bool> PostAsync(string url, string key, string body, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Webhook-Request-Id", Guid.NewGuid().ToString("N"));
        request.Headers.Add(GatewayWebhookEndpoint.TimestampHeader, clock.GetUtcNow().ToUnixTimeMilliseconds().ToString());
        if (key.Length > 0)
        {
            request.Headers.Add(GatewayWebhookEndpoint.HmacHeader, GatewayWebhookEndpoint.Sign(key, bytes));
            request.Headers.Add("X-Webhook-Hmac-Algorithm", "sha512");
        }
        try
        {
            using var response = await http.CreateClient(SandboxStatusSender.HttpClientName).SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException e)
        {
            log.LogWarning("Sandbox gateway webhook failed: {Error}", e.HttpRequestError);
            return false;
        }
    }
}
