package kiln.engine.project;

import kiln.engine.data.DataSourceSpec;
import kiln.engine.data.SplitSettings;
import kiln.engine.data.pipeline.Pipeline;
import kiln.engine.model.ModelGraph;
import kiln.engine.project.TrainingSettings;

import java.util.Objects;

/** Everything a student makes: the network, where its data comes from and how, and how to train it. */
public final class Project {

    private String name;
    private final ModelGraph graph;
    private DataSourceSpec data;
    private Pipeline pipeline;
    private SplitSettings split;
    private TrainingSettings training;

    public Project(String name, ModelGraph graph, DataSourceSpec data, Pipeline pipeline,
                   SplitSettings split, TrainingSettings training) {
        this.name = Objects.requireNonNull(name);
        this.graph = Objects.requireNonNull(graph);
        this.data = Objects.requireNonNull(data);
        this.pipeline = Objects.requireNonNull(pipeline);
        this.split = Objects.requireNonNull(split);
        this.training = Objects.requireNonNull(training);
    }

    public String name() { return name; }
    public ModelGraph graph() { return graph; }
    public DataSourceSpec data() { return data; }
    public Pipeline pipeline() { return pipeline; }
    public SplitSettings split() { return split; }
    public TrainingSettings training() { return training; }

    public void setName(String name) { this.name = Objects.requireNonNull(name); }
    public void setData(DataSourceSpec data) { this.data = Objects.requireNonNull(data); }
    public void setPipeline(Pipeline pipeline) { this.pipeline = Objects.requireNonNull(pipeline); }
    public void setSplit(SplitSettings split) { this.split = Objects.requireNonNull(split); }
    public void setTraining(TrainingSettings training) { this.training = Objects.requireNonNull(training); }
}
