using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using QRCoder;
using WaIdentity.WaChannel.Device;

namespace WaIdentity.WaChannel.Sandbox;

/// <summary>
/// The emulator's "screenshot" of its WhatsApp Web session, as a browser-engine gateway returns one: a PNG with a
/// band in the state's colour, the state's name, and the QR code while it waits for a scan. Drawn by hand (a tiny
/// bitmap font and PNG writer) because the sandbox needs no imaging library for it.
/// </summary>
internal static class DeviceScreenshot
{
    private const int Width = 360, Height = 480, Scale = 4;

    public static byte[] Render(string status, string? qr)
    {
        var pixels = new byte[Width * Height * 3];
        Fill(pixels, 0, 0, Width, Height, (0xF0, 0xF2, 0xF5));
        Fill(pixels, 0, 0, Width, 72, ColourOf(status));
        DrawText(pixels, status, 16, 22, (0xFF, 0xFF, 0xFF));
        if (qr is not null) DrawQr(pixels, qr, 40, 112, 280);
        return Encode(pixels);
    }

    private static (byte R, byte G, byte B) ColourOf(string status) => status switch
    {
        DeviceStatus.Working => (0x0B, 0x6B, 0x3A),
        DeviceStatus.ScanQrCode or DeviceStatus.Starting => (0x8A, 0x4B, 0x00),
        DeviceStatus.Failed => (0xA3, 0x1B, 0x1B),
        _ => (0x44, 0x4B, 0x55),
    };

    private static void DrawQr(byte[] pixels, string value, int x, int y, int size)
    {
        using var data = new QRCodeGenerator().CreateQrCode(value, QRCodeGenerator.ECCLevel.L);
        var matrix = data.ModuleMatrix;
        var module = size / matrix.Count;
        Fill(pixels, x, y, module * matrix.Count, module * matrix.Count, (0xFF, 0xFF, 0xFF));
        for (var r = 0; r < matrix.Count; r++)
            for (var c = 0; c < matrix.Count; c++)
                if (matrix[r][c]) Fill(pixels, x + c * module, y + r * module, module, module, (0, 0, 0));
    }

    /// <summary>5x7 glyphs, one string of 7 rows per letter ('#' on), for the letters of the state names.</summary>
    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        ['A'] = [" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"],
        ['C'] = [" ####", "#    ", "#    ", "#    ", "#    ", "#    ", " ####"],
        ['D'] = ["#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "],
        ['E'] = ["#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"],
        ['F'] = ["#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "],
        ['G'] = [" ####", "#    ", "#    ", "#  ##", "#   #", "#   #", " ####"],
        ['I'] = ["#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "#####"],
        ['K'] = ["#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"],
        ['L'] = ["#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"],
        ['N'] = ["#   #", "##  #", "# # #", "#  ##", "#   #", "#   #", "#   #"],
        ['O'] = [" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
        ['P'] = ["#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "],
        ['Q'] = [" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"],
        ['R'] = ["#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"],
        ['S'] = [" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "],
        ['T'] = ["#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "],
        ['U'] = ["#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "],
        ['W'] = ["#   #", "#   #", "#   #", "# # #", "# # #", "## ##", "#   #"],
        ['_'] = ["     ", "     ", "     ", "     ", "     ", "     ", "#####"],
    };

    private static void DrawText(byte[] pixels, string text, int x, int y, (byte, byte, byte) colour)
    {
        foreach (var ch in text.ToUpperInvariant())
        {
            if (x + 5 * Scale > Width) return;
            if (Glyphs.TryGetValue(ch, out var rows))
                for (var r = 0; r < 7; r++)
                    for (var c = 0; c < 5; c++)
                        if (rows[r][c] == '#') Fill(pixels, x + c * Scale, y + r * Scale, Scale, Scale, colour);
            x += 6 * Scale;
        }
    }

    private static void Fill(byte[] pixels, int x, int y, int w, int h, (byte R, byte G, byte B) colour)
    {
        for (var row = Math.Max(0, y); row < Math.Min(Height, y + h); row++)
            for (var col = Math.Max(0, x); col < Math.Min(Width, x + w); col++)
            {
                var i = (row * Width + col) * 3;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = colour;
            }
    }

    /// <summary>8-bit RGB, no interlace, one zlib stream: the smallest valid PNG.</summary>
    private static byte[] Encode(byte[] pixels)
    {
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            for (var row = 0; row < Height; row++)
            {
                z.WriteByte(0);
                z.Write(pixels, row * Width * 3, Width * 3);
            }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), Height);
        header[8] = 8;
        header[9] = 2;
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", raw.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(four, Crc32(typed));
        png.Write(four);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
