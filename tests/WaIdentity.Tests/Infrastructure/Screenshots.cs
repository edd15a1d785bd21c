using Microsoft.Playwright;

namespace WaIdentity.Tests.Infrastructure;

/// <summary>
/// Where browser tests put the screenshots a person looks at after a run: <c>WAIDENTITY_SCREENSHOTS</c> when set,
/// else <c>test-results/screenshots</c> at the repository root (ignored by git, kept between runs, overwritten by the
/// next one). Names say the journey, language and width, then the step, so a folder sorts into readable strips.
/// </summary>
public sealed class Screenshots(IPage page, string prefix)
{
    public static string Folder { get; } = Environment.GetEnvironmentVariable("WAIDENTITY_SCREENSHOTS") is { Length: > 0 } set
        ? set
        : Path.Combine(RepositoryRoot(), "test-results", "screenshots");

    private int _step;

    /// <summary>Saves the whole page as <c>{prefix}-{nn}-{name}.png</c>.</summary>
    public async Task TakeAsync(string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ParsedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, $"{prefix}-{++_step:D2}-{name}.png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WaIdentity.sln"))) return dir.FullName;
        return AppContext.BaseDirectory;
    }
}
