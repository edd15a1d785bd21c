namespace WaIdentity.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding WaIdentity.sln, found from the test binaries upwards.</summary>
    public static string Root { get; } = FindRoot();

    public static string IdpProject => Path.Combine(Root, "src", "IdP");

    /// <summary>The IdP's built entry assembly, copied next to the tests.</summary>
    public static string IdpAssembly => Path.Combine(AppContext.BaseDirectory, "WaIdentity.IdP.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WaIdentity.sln"))) return dir.FullName;
        throw new InvalidOperationException("WaIdentity.sln not found above " + AppContext.BaseDirectory);
    }
}
