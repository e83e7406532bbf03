using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using EfficientNet.Sharp.IO;
using EfficientNet.Sharp.Onnx.Protobuf;
using Google.Protobuf;

namespace EfficientNet.Sharp.Onnx;

/// <summary>
/// Writes a model to disk, moving its weights into an external data file when they are too large for one protobuf
/// message. The pair is written so that a model can only ever read its own weights: the data file is named after
/// the weights' SHA-256 (<c>NAME.onnx.0123456789abcdef.data</c>), written first, and the model that references it
/// second. Until the model is renamed into place the old model and its old data file stay as they were; data files
/// of earlier exports to the same name are removed only afterwards.
/// </summary>
internal static partial class OnnxFile
{
    /// <summary>Hex digits of the SHA-256 in a data file's name: 64 bits, enough that two exports never share a name by chance.</summary>
    private const int HashDigits = 16;

    /// <summary>Bytes of all initializers.</summary>
    public static long WeightBytes(ModelProto model) => model.Graph.Initializer.Sum(tensor => (long)tensor.RawData.Length);

    /// <summary>Writes the model (and, past the threshold, its data file) and returns the model's full path, the data file's and the bytes written.</summary>
    public static (string Path, string? ExternalData, long Bytes) Write(ModelProto model, string path, long externalDataThresholdBytes, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        OutputPath.CheckReplaceable(full);
        string? dataPath = null;
        bool createdData = false;
        if (WeightBytes(model) > externalDataThresholdBytes)
        {
            string dataName = $"{Path.GetFileName(full)}.{WeightHash(model)}.data";
            dataPath = Path.Combine(Path.GetDirectoryName(full)!, dataName);
            createdData = FileStatus.KindOf(dataPath) == FileEntryKind.Absent;

            // An identical earlier export's data file has the same name and the same bytes: replacing it changes nothing.
            AtomicFile.Write(dataPath, stream => MoveWeightsTo(model, stream, dataName), cancellationToken);
        }

        try
        {
            AtomicFile.Write(full, model.WriteTo, cancellationToken);
        }
        catch
        {
            if (createdData)
            {
                File.Delete(dataPath!);
            }

            throw;
        }

        RemoveEarlierDataFiles(full, dataPath);
        long bytes = new FileInfo(full).Length + (dataPath is null ? 0 : new FileInfo(dataPath).Length);
        return (full, dataPath, bytes);
    }

    /// <summary>The first <see cref="HashDigits"/> hex digits of the SHA-256 of every initializer's bytes, in order.</summary>
    private static string WeightHash(ModelProto model)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (TensorProto tensor in model.Graph.Initializer)
        {
            hash.AppendData(tensor.RawData.Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..HashDigits];
    }

    /// <summary>Moves every initializer's bytes into the external data file, leaving its location, offset and length (ONNX's external data convention).</summary>
    private static void MoveWeightsTo(ModelProto model, Stream data, string location)
    {
        foreach (TensorProto tensor in model.Graph.Initializer)
        {
            long offset = data.Position;
            tensor.RawData.WriteTo(data);
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = tensor.RawData.Length.ToString(CultureInfo.InvariantCulture) });
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.ClearRawData();
        }
    }

    /// <summary>
    /// Removes the data files earlier exports to this name wrote (<c>NAME.onnx.HASH.data</c>, and <c>NAME.onnx.data</c> of
    /// releases before 0.3), now that the model in place references only <paramref name="current"/>.
    /// </summary>
    private static void RemoveEarlierDataFiles(string model, string? current)
    {
        string folder = Path.GetDirectoryName(model)!;
        string name = Path.GetFileName(model);
        foreach (string candidate in Directory.EnumerateFiles(folder, name + ".*data").ToArray())
        {
            string suffix = Path.GetFileName(candidate)[name.Length..];
            bool ours = suffix == ".data" || HashedDataSuffix().IsMatch(suffix);
            if (ours && candidate != current && FileStatus.KindOf(candidate) == FileEntryKind.RegularFile)
            {
                File.Delete(candidate);
            }
        }
    }

    [GeneratedRegex("^\\.[0-9a-f]{16}\\.data$")]
    private static partial Regex HashedDataSuffix();
}
