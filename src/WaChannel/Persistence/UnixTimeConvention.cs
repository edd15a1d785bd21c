using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WaIdentity.WaChannel.Persistence;

/// <summary>
/// Stores every <see cref="DateTimeOffset"/> as Unix milliseconds (bigint). SQLite cannot compare or order
/// DateTimeOffset in SQL, and one representation on both providers keeps hand-written schema versions identical.
/// </summary>
public static class UnixTimeConvention
{
    public static void UseUnixTimeMilliseconds(this ModelConfigurationBuilder builder)
    {
        builder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
        builder.Properties<DateTimeOffset?>().HaveConversion<UnixMillisecondsConverter>();
    }

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.ToUnixTimeMilliseconds(),
        v => DateTimeOffset.FromUnixTimeMilliseconds(v));
}
