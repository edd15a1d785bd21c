// Token endpoint benchmark: starts the real IdP on loopback with a fresh SQLite database, then measures
// client_credentials and refresh_token requests/s with p50/p99 latency, and the raw ES256/RS256 signing rate of this
// machine in the same run. Usage: dotnet run -c Release --project bench/TokenEndpoint [seconds] [concurrency]
using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using WaIdentity.IdP.Hosting;
using WaIdentity.IdP.Oidc.Clients;
using WaIdentity.IdP.Oidc.Token;
using WaIdentity.IdP.Oidc.Tokens;

var seconds = args.Length > 0 ? int.Parse(args[0]) : 10;
var concurrency = args.Length > 1 ? int.Parse(args[1]) : 16;
var dbFile = Path.Combine(Path.GetTempPath(), $"waid-bench-{Guid.NewGuid():N}.db");
var contentRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/IdP"));
var app = IdpApp.Build(["--urls", "http://127.0.0.1:0", "--environment", "Production", "--contentRoot", contentRoot],
    new Dictionary<string, string?>
    {
        ["Database:Provider"] = "Sqlite", ["Database:ConnectionString"] = $"Data Source={dbFile}",
        ["Oidc:TokenRequestsPerClientPerMinute"] = "1000000",
        ["Logging:LogLevel:Default"] = "Warning", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    });
await IdpProgram.PrepareAsync(app);
await app.StartAsync();
var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

var secret = OpaqueToken.New();
var refreshTokens = new Queue<string>[concurrency];
await using (var scope = app.Services.CreateAsyncScope())
{
    var registry = scope.ServiceProvider.GetRequiredService<ClientRegistry>();
    await registry.CreateAsync(new ClientDefinition
    {
        ClientId = "bench", GrantTypes = ["client_credentials", "refresh_token"], Scopes = ["openid", "offline_access", "gateway.send"], Secret = secret,
    });
    var store = scope.ServiceProvider.GetRequiredService<RefreshTokenStore>();
    var auth = new Authentication("bench-user", "bench-session", DateTimeOffset.UtcNow, "pwd", "urn:waidentity:loa:1");
    for (var i = 0; i < concurrency; i++)
        refreshTokens[i] = new Queue<string>([await store.IssueAsync("bench", auth, "openid offline_access", null, null, default)]);
}

Console.WriteLine($"WaIdentity token endpoint benchmark: {Environment.ProcessorCount} cores, {concurrency} concurrent clients, {seconds} s per run, SQLite");
await RunAsync("warm-up", 2, _ => new() { ["grant_type"] = "client_credentials", ["scope"] = "gateway.send" }, null, quiet: true);
var cc = await RunAsync("client_credentials", seconds, _ => new() { ["grant_type"] = "client_credentials", ["scope"] = "gateway.send" }, null);
var rt = await RunAsync("refresh_token", seconds, w => new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshTokens[w].Dequeue() },
    (w, body) => refreshTokens[w].Enqueue(System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("refresh_token").GetString()!));
await app.StopAsync();

var es = SigningRate("ES256", () => { var k = ECDsa.Create(ECCurve.NamedCurves.nistP256); return d => k.SignData(d, HashAlgorithmName.SHA256); });
var rs = SigningRate("RS256 (3072)", () => { var k = RSA.Create(3072); k.ExportParameters(false); return d => k.SignData(d, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1); });
Console.WriteLine($"client_credentials / raw ES256 (all cores): {cc / es:P0}");
Console.WriteLine($"refresh_token / raw ES256 (all cores): {rt / es:P0}   (a refresh signs two tokens: access + ID)");
Console.WriteLine($"raw RS256 / raw ES256: {rs / es:P0}");
File.Delete(dbFile);

async Task<double> RunAsync(string name, int duration, Func<int, Dictionary<string, string>> form, Action<int, string>? onBody, bool quiet = false)
{
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseAddress };
    http.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"bench:{secret}")));
    var latencies = new List<double>[concurrency];
    var errors = 0;
    var stop = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
    {
        latencies[w] = [];
        while (stop.Elapsed.TotalSeconds < duration)
        {
            var t = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form(w)));
            var body = await response.Content.ReadAsStringAsync();
            latencies[w].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref errors); if (onBody is not null) break; continue; }
            onBody?.Invoke(w, body);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToList();
    var rate = all.Count / stop.Elapsed.TotalSeconds;
    if (!quiet)
        Console.WriteLine($"{name,-20} {rate,8:F0} req/s   p50 {all[all.Count / 2],6:F2} ms   p99 {all[(int)(all.Count * 0.99)],6:F2} ms   errors {errors}");
    return rate;
}

static double SigningRate(string name, Func<Func<byte[], byte[]>> newSigner)
{
    var data = RandomNumberGenerator.GetBytes(300); // about the size of a JWT signing input
    double Measure(int threads)
    {
        var signers = Enumerable.Range(0, threads).Select(_ => newSigner()).ToArray(); // key generation is not timed
        long count = 0;
        var stop = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            long local = 0;
            while (stop.Elapsed.TotalSeconds < 3) { signers[i](data); local++; }
            Interlocked.Add(ref count, local);
        });
        return count / stop.Elapsed.TotalSeconds;
    }
    var one = Measure(1);
    var all = Measure(Environment.ProcessorCount);
    Console.WriteLine($"raw {name,-14} {one,8:F0} signatures/s on 1 core, {all,8:F0} on {Environment.ProcessorCount} cores");
    return all;
}
