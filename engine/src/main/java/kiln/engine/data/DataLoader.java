package kiln.engine.data;

import kiln.engine.shape.TensorShape;
import kiln.engine.util.Progress;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a project's data source and divides it into train, validation and test splits. */
public final class DataLoader {

    private DataLoader() { }

    public static DataSplits load(DataSourceSpec spec, Path projectFolder, SplitSettings split, Progress progress)
            throws DataFormatException {
        List<String> leftOut = new ArrayList<>();
        DataSplits s = load(spec, projectFolder, split, progress, leftOut);
        for (String note : leftOut) progress.update(-1, note);
        return s;
    }

    /**
     * Reads and splits the data; unreadable images and unusable CSV rows or text columns are left out and
     * described in {@code leftOut} (the rest loads).
     */
    public static DataSplits load(DataSourceSpec spec, Path projectFolder, SplitSettings split, Progress progress,
                                  List<String> leftOut) throws DataFormatException {
        Read read = read(spec, projectFolder, split, progress);
        leftOut.addAll(read.leftOut());
        return read.splits();
    }

    /**
     * The splits with what the reader says about them.
     * @param csv     for a CSV, how its columns are used (categories as in the training split); else null
     * @param leftOut unreadable images, unusable CSV rows and columns, cells that are not numbers, in plain words
     */
    public record Read(DataSplits splits, CsvReader.Report csv, List<String> leftOut) { }

    /** Reads and splits the data, saying what was left out and, for a CSV, how each column is used. */
    public static Read read(DataSourceSpec spec, Path projectFolder, SplitSettings split, Progress progress)
            throws DataFormatException {
        String bad = split.problem();
        if (bad != null) throw new DataFormatException(projectFolder.resolve("project.json"), bad);
        List<String> leftOut = new ArrayList<>();
        CsvReader.Report[] csv = new CsvReader.Report[1];
        DataSplits s = split(spec, projectFolder, split, progress, leftOut, csv);
        if (split.trainingSamples() == 0 || split.trainingSamples() >= s.train().size()) {
            return new Read(s, csv[0], List.copyOf(leftOut));
        }
        int[] kept = Splitter.take(s.train(), split.trainingSamples(), split.seed(), split.stratified());
        return new Read(new DataSplits(s.train().select(kept, s.train().source() + ", " + kept.length + " of them"),
                s.validation(), s.test()), csv[0], List.copyOf(leftOut));
    }

    private static DataSplits split(DataSourceSpec spec, Path projectFolder, SplitSettings split, Progress progress,
                                    List<String> leftOut, CsvReader.Report[] csvReport) throws DataFormatException {
        if (spec instanceof DataSourceSpec.Bundled b) spec = BundledData.files(b.name());
        if (spec instanceof DataSourceSpec.Idx idx) {
            return withOwnTest(readIdx(resolve(projectFolder, idx.trainImages()), resolve(projectFolder, idx.trainLabels()),
                    resolve(projectFolder, idx.testImages()), resolve(projectFolder, idx.testLabels()),
                    idx.classNames(), progress), split);
        }
        if (spec instanceof DataSourceSpec.Cifar10 c) {
            return withOwnTest(Cifar10Reader.read(resolve(projectFolder, c.folder()), progress), split);
        }
        Dataset all;
        CsvReader.Report csvRead = null;
        if (spec instanceof DataSourceSpec.ImageFolder f) {
            all = ImageFolderReader.read(resolve(projectFolder, f.folder()), f.height(), f.width(), f.channels(), progress, leftOut);
        } else {
            DataSourceSpec.Csv csv = (DataSourceSpec.Csv) spec;
            CsvReader.Result read = CsvReader.read(resolve(projectFolder, csv.file()), csv.labelColumn(), csv.numericTarget());
            leftOut.addAll(read.report().leftOut());
            all = read.data();
            csvRead = read.report();
        }
        int[][] parts = Splitter.split(all, new double[] {split.validationFraction(), split.testFraction()},
                split.seed(), split.stratified());
        Dataset train = all.select(parts[2], all.source() + " (train split)");
        Dataset validation = all.select(parts[0], all.source() + " (validation split)");
        Dataset test = all.select(parts[1], all.source() + " (test split)");
        if (csvRead == null) return new DataSplits(train, validation, test);
        // categories come from the training split only, as every fitted step
        CategoricalEncoding encoding = CategoricalEncoding.fit(train, csvRead);
        csvReport[0] = encoding.report();
        return new DataSplits(encoding.apply(train), encoding.apply(validation), encoding.apply(test));
    }

    /**
     * The shape of one sample as the source gives it, read from file headers only (fast): with
     * {@code Pipeline.outputShape} it says what the graph's Input must be before any data is loaded. For a CSV this
     * counts every column but the label, one value each: the loaded data is narrower when columns are left out and
     * wider when categories are one-hot encoded.
     */
    public static TensorShape sampleShape(DataSourceSpec spec, Path projectFolder) throws DataFormatException {
        if (spec instanceof DataSourceSpec.Bundled b) spec = BundledData.files(b.name());
        if (spec instanceof DataSourceSpec.Idx idx) return IdxReader.imageShape(resolve(projectFolder, idx.trainImages()));
        if (spec instanceof DataSourceSpec.Cifar10) return TensorShape.image(32, 32, 3);
        if (spec instanceof DataSourceSpec.ImageFolder f) return TensorShape.image(f.height(), f.width(), f.channels());
        DataSourceSpec.Csv csv = (DataSourceSpec.Csv) spec;
        return TensorShape.vector(Math.max(1, CsvReader.header(resolve(projectFolder, csv.file())).size() - 1));
    }

    /** A data path from a project: relative paths may not leave the project folder; "~/" is the home folder. */
    public static Path resolve(Path projectFolder, String path) throws DataFormatException {
        if (path.equals("~") || path.startsWith("~/")) {
            return Path.of(System.getProperty("user.home")).resolve(path.substring(1).replaceFirst("^/+", "")).normalize();
        }
        Path p = Path.of(path);
        if (p.isAbsolute()) return p.normalize();
        Path base = projectFolder.toAbsolutePath().normalize();
        Path resolved = base.resolve(p).normalize();
        if (!resolved.startsWith(base)) {
            throw new DataFormatException(base.resolve("project.json"), "the data path '" + path
                    + "' leaves the project folder; put the data inside the project or choose it with an absolute path");
        }
        return resolved;
    }

    private static Dataset[] readIdx(Path trainImages, Path trainLabels, Path testImages, Path testLabels,
                                     java.util.List<String> classes, Progress progress) throws DataFormatException {
        Dataset train = IdxReader.read(trainImages, trainLabels, classes, progress);
        Dataset test = IdxReader.read(testImages, testLabels, classes, progress);
        return new Dataset[] {train, test};
    }

    /** Sources with their own test set: validation comes out of the training data. */
    private static DataSplits withOwnTest(Dataset[] trainAndTest, SplitSettings s) {
        Dataset all = trainAndTest[0];
        int[][] parts = Splitter.split(all, new double[] {s.validationFraction()}, s.seed(), s.stratified());
        return new DataSplits(all.select(parts[1], all.source() + " (train split)"),
                all.select(parts[0], all.source() + " (validation split)"), trainAndTest[1]);
    }
}
