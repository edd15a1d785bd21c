namespace WaIdentity.Admin;

/// <summary>What the host refused in a form the portal sent, and where: the pages put <see cref="Message"/> next to the
/// field it names, or above the form when <see cref="Field"/> is not one of theirs (an empty field: the whole form).</summary>
/// <param name="Field">The port's own name for the field, e.g. a <c>ClientForm</c> property name.</param>
/// <param name="Message">English, from the host's rules (it may quote the value).</param>
public sealed record FieldProblem(string Field, string Message)
{
    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";
}
