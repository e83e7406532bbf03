using EfficientNet.Sharp.Onnx.Int8;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using EfficientNet.Sharp.TfLite;
using EfficientNet.Sharp.Training;
using EfficientNet.Sharp.Weights;
using Spectre.Console.Cli;

namespace EfficientNet.Sharp.Cli.Errors;

/// <summary>
/// The one place where <c>effnet</c> turns an exception into its error contract: a single <c>error:</c>
/// line on stderr (the first line of the message; a weight mismatch lists its keys after it), optional
/// <c>hint:</c> lines, and the exit code of <see cref="ExitCodes"/> for the kind of failure.
/// </summary>
internal static partial class ErrorReport
{
    /// <summary>Set to 1 to append the stack trace (for bug reports).</summary>
    public const string DebugVariable = "EFFNET_DEBUG";

    public static int Write(Exception exception, TextWriter errors)
    {
        // A libtorch load failure is reported as itself, whatever wraps it (a type initializer, an aggregate).
        exception = LibTorchOf(exception) ?? exception;
        (int code, IEnumerable<string> hints) = Classify(exception);
        string message = exception is OperationCanceledException ? "interrupted: the command stopped, removed its temporary files and left its outputs as they were." : MessageOf(exception);
        string[] lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        errors.WriteLine($"error: {(lines.Length > 0 ? lines[0] : exception.GetType().Name)}");
        if (exception is WeightMismatchException)
        {
            foreach (string line in lines.Skip(1))
            {
                errors.WriteLine($"  {line}");
            }
        }

        foreach (string line in hints)
        {
            errors.WriteLine($"hint: {line}");
        }

        if (Environment.GetEnvironmentVariable(DebugVariable) == "1")
        {
            errors.WriteLine(exception.ToString());
        }

        return code;
    }

    private static (int Code, IEnumerable<string> Hints) Classify(Exception exception) => exception switch
    {
        LibTorchUnavailableException missing => (ExitCodes.Runtime, LibTorchCheck.Hints(missing)),
        CommandAppException => (ExitCodes.Usage, ["see 'effnet --help' or 'effnet COMMAND --help'."]),
        OperationCanceledException => (ExitCodes.Cancelled, []),
        HttpRequestException or TimeoutException => (ExitCodes.Network, []),
        UriFormatException or KeyNotFoundException => (ExitCodes.Usage, []),
        FileNotFoundException or DirectoryNotFoundException or InvalidDataException or TfLiteImportException or WeightMismatchException
            or UnauthorizedAccessException or IOException or NotSupportedException or JsonException => (ExitCodes.BadInput, []),
        Int8AgreementException => (ExitCodes.QualityRefused, ["lower --max-agreement-drop's demand, try another --calibration method or more --calibration-images, or export float."]),
        TrainingDivergedException => (ExitCodes.BadInput, ["the checkpoints of the epochs before it are kept in the output folder."]),
        ArgumentException => (ExitCodes.Usage, []),
        OutOfMemoryException or InsufficientExecutionStackException => (ExitCodes.Runtime, ["the network or the input is too large for this machine's memory."]),
        ExternalException or DllNotFoundException or TypeInitializationException => (ExitCodes.Runtime, []),
        InvalidOperationException => (ExitCodes.BadInput, []),
        _ => (ExitCodes.InternalError, [$"this is a bug in effnet; run again with {DebugVariable}=1 and report the output."]),
    };

    /// <summary>The option a value was given to on this process's command line (<c>--opt value</c> or <c>--opt=value</c>), if it can be found.</summary>
    private static string? OptionGiven(string value)
    {
        string[] args = Environment.GetCommandLineArgs();
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == value && args[i - 1].StartsWith('-'))
            {
                return args[i - 1];
            }

            if (args[i].StartsWith('-') && args[i].EndsWith("=" + value, StringComparison.Ordinal))
            {
                return args[i][..^(value.Length + 1)];
            }
        }

        return null;
    }

    [GeneratedRegex(@"^Failed to convert '(?<value>.*)' to (?<type>[^.]*)\.?$")]
    private static partial Regex ConversionFailure();

    private static LibTorchUnavailableException? LibTorchOf(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is LibTorchUnavailableException found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The exception's own message; for wrappers without one of their own (type initializers), the innermost that has one.</summary>
    private static string MessageOf(Exception exception)
    {
        if (exception is TypeInitializationException or AggregateException && exception.InnerException is { } inner)
        {
            return MessageOf(inner);
        }

        // Spectre's conversion errors name .NET types ("Failed to convert 'abc' to Nullable`1."): say what the option wanted.
        if (exception is CommandAppException && ConversionFailure().Match(exception.Message) is { Success: true } conversion)
        {
            string value = conversion.Groups["value"].Value;
            string expected = conversion.Groups["type"].Value is "Int32" or "Int64" ? "a whole number" : "a number";
            return OptionGiven(value) is { } option
                ? $"{option} takes {expected}, not '{value}'."
                : $"'{value}' is not {expected}, which its option takes.";
        }

        // .NET appends " (Parameter 'name')" (and "Actual value was …") to argument messages; ours already say both.
        return exception is ArgumentException { ParamName: { } name } && exception.Message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal) is int at and > 0
            ? exception.Message[..at]
            : exception.Message;
    }
}
