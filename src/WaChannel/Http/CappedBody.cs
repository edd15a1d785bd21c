using Microsoft.AspNetCore.Http;

namespace WaIdentity.WaChannel.Http;

/// <summary>
/// The one way an endpoint reads a whole request body: never more than its cap. A declared larger
/// <c>Content-Length</c> is refused before anything is read, and a chunked body (no length) is refused as soon as
/// it passes the cap, so a sender cannot make the server buffer it whole first. A refused request is answered 413 and
/// its connection closed, so the server does not read the rest either.
/// </summary>
public static class CappedBody
{
    /// <returns>The body, or null when it is larger than <paramref name="maxBytes"/> (see <see cref="TooLarge"/>).</returns>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return Refuse(request);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes) return Refuse(request);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The plain answer to a refused body; an API with problem details answers 413 in its own shape.</summary>
    public static IResult TooLarge { get; } = Results.StatusCode(StatusCodes.Status413PayloadTooLarge);

    private static byte[]? Refuse(HttpRequest request)
    {
        request.HttpContext.Response.Headers.Connection = "close";
        return null;
    }
}
