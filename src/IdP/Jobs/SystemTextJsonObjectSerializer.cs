using System.Text.Json;
using Quartz.Spi;

namespace WaIdentity.IdP.Jobs;

/// <summary>
/// Quartz's ADO.NET store needs a serializer for job data; the served Quartz has none without Newtonsoft, so
/// this one writes job data maps as JSON objects of strings (our jobs keep only strings in them).
/// </summary>
public sealed class SystemTextJsonObjectSerializer : IObjectSerializer
{
    public void Initialize() { }

    public byte[] Serialize<T>(T obj) where T : class => obj switch
    {
        Quartz.JobDataMap map => JsonSerializer.SerializeToUtf8Bytes(map.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString())),
        _ => throw new NotSupportedException($"Quartz asked to store a {typeof(T).Name}; only job data maps are supported."),
    };

    public T? DeSerialize<T>(byte[] data) where T : class
    {
        if (typeof(T) != typeof(Quartz.JobDataMap))
            throw new NotSupportedException($"Quartz asked to read a {typeof(T).Name}; only job data maps are supported.");
        var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(data) ?? [];
        var map = new Quartz.JobDataMap();
        foreach (var (k, v) in values) map[k] = v!;
        return (T)(object)map;
    }
}
