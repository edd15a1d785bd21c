namespace WaIdentity.IdP.Persistence;

/// <summary>A Data Protection key ring element, shared by every node through the database.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string FriendlyName { get; set; } = "";
    public string Xml { get; set; } = "";
}
