namespace HamachiCloud.Api.Hosting;

/// <summary>
/// Where messages for the operator who started the process go (the console), kept apart from the
/// logs: the first admin's one-time password is written here and never logged. A singleton so the
/// tests can read what an operator would see.
/// </summary>
internal sealed class OperatorConsole(TextWriter output)
{
    public void Write(string text)
    {
        output.Write(text);
        output.Flush();
    }
}
