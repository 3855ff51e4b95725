"""Word lists the rules share. General English / ML-writing knowledge, not names from any corpus."""

from __future__ import annotations

from kg.records import EntityType


def _words(text: str) -> frozenset[str]:
    """A word list written as whitespace-separated text (easier to read and edit than a list literal)."""
    return frozenset(text.split())


# Verbs a paper uses to announce its own contribution ("we propose X").
PROPOSAL_VERBS = (
    "propose|proposes|proposed|introduce|introduces|introduced|present|presents|presented|develop|develops|"
    "developed|design|designs|designed|build|builds|built|release|releases|released|construct|constructs|"
    "constructed|curate|curates|curated|contribute|contributes|devise|devises|devised|create|creates|created|"
    "establish|establishes|establish|unveil|unveils|formulate|formulates|train|trains"
)

# Appositive or naming cues: "X, a novel …", "called X".
NAMING_CUES = ("called", "named", "dubbed", "termed", "coined", "namely")

# Head words after a name that fix its type ("X benchmark" -> Dataset).
HEAD_TYPES: dict[str, EntityType] = {
    "dataset": EntityType.DATASET,
    "datasets": EntityType.DATASET,
    "benchmark": EntityType.DATASET,
    "benchmarks": EntityType.DATASET,
    "corpus": EntityType.DATASET,
    "corpora": EntityType.DATASET,
    "suite": EntityType.DATASET,
    "leaderboard": EntityType.DATASET,
    "testbed": EntityType.DATASET,
    "model": EntityType.MODEL,
    "models": EntityType.MODEL,
    "llm": EntityType.MODEL,
    "llms": EntityType.MODEL,
    "agent": EntityType.MODEL,
    "checkpoint": EntityType.MODEL,
    "checkpoints": EntityType.MODEL,
    "method": EntityType.METHOD,
    "methods": EntityType.METHOD,
    "framework": EntityType.METHOD,
    "algorithm": EntityType.METHOD,
    "approach": EntityType.METHOD,
    "technique": EntityType.METHOD,
    "architecture": EntityType.METHOD,
    "pipeline": EntityType.METHOD,
    "toolkit": EntityType.METHOD,
    "library": EntityType.METHOD,
    "system": EntityType.METHOD,
    "mechanism": EntityType.METHOD,
    "module": EntityType.METHOD,
    "strategy": EntityType.METHOD,
    "paradigm": EntityType.METHOD,
    "loss": EntityType.METHOD,
    "score": EntityType.METRIC,
    "metric": EntityType.METRIC,
    "metrics": EntityType.METRIC,
    "task": EntityType.TASK,
    "tasks": EntityType.TASK,
    "challenge": EntityType.DATASET,
}

# Last word of a lower-case noun phrase -> the type that phrase usually has.
TASK_HEADS = _words(
    """
    answering captioning classification completion compression control denoising detection diagnosis
    editing estimation extraction forecasting generation grounding inpainting labeling labelling
    linking localization manipulation matching modeling modelling navigation parsing planning
    prediction ranking reasoning recognition recommendation reconstruction retrieval search
    segmentation summarization super-resolution synthesis tagging tracking translation understanding
    verification
    """
)
METHOD_HEADS = _words(
    """
    approximation attention augmentation autoencoder autoencoders backpropagation bandit bandits
    convolution convolutions decoder decoding descent diffusion distillation dropout embedding
    embeddings encoder fine-tuning finetuning inference learning network networks normalization
    optimization parallelism pooling pre-training pretraining process processes prompting pruning
    quantization regularization sampling search sparsification sparsity training transformer
    transformers tuning
    """
)
# Heads too common in prose to start a phrase on their own ("additional training", "faster inference"); they
# still type acronym long forms and vocabulary matches.
WEAK_HEADS = frozenset(
    [
        "training",
        "inference",
        "search",
        "control",
        "planning",
        "alignment",
        "compression",
        "process",
        "processes",
    ]
)
METRIC_HEADS = frozenset(
    [
        "accuracy",
        "precision",
        "recall",
        "f1",
        "f1-score",
        "error",
        "rate",
        "latency",
        "throughput",
        "perplexity",
        "speedup",
        "efficiency",
        "cost",
        "costs",
        "score",
        "bleu",
        "rouge",
        "auc",
        "speed",
    ]
)
# Metric heads specific enough to start a phrase ("success rate", "energy efficiency", "training cost").
PHRASE_METRIC_HEADS = frozenset(
    ["error", "rate", "efficiency", "speed", "cost", "costs", "accuracy", "latency", "throughput"]
)
# Hyphenated tails that describe a use of a name: "GPT-style", "BERT-like", "ImageNet-trained".
USE_SUFFIXES = (
    "style|like|based|trained|pretrained|pre-trained|tuned|finetuned|fine-tuned|sized|size|scale|level|class|"
    "inspired|powered|generated|specific|family|series|type|only|free|aware|guided|driven|enhanced|augmented|"
    "compatible|scale"
)

# Modifiers that never start an entity name ("various tasks", "impressive video generation").
NP_STOP = _words(
    """
    a about accurate achieve achieved achieves across additional address addresses adopt adopts
    after all allow allows also alternative among an and another any applied applies apply approach
    approaches are around as at based basic be been before being best better between beyond big
    boost boosts both bring brings broad build builds built but by can careful challenging cheap
    common comparable competitive complex comprehensive conduct conducts consider considers
    construct constructed constructs contribute contributes conventional core costly could create
    created creates critical crucial curate curated curates current demonstrate demonstrates design
    designed designs develop developed develops devise devised devises did different difficult
    diverse do does downstream during e.g. each easier easy effective efficient either elegant
    employ employs enable enabled enables enhance enhanced enhances essential establish establishes
    etc evaluate evaluated evaluates even every existing expensive exploit exploits explore explores
    extensive extra facilitate facilitates fast faster few first five flexible focus focuses for
    formulate formulates four framework frameworks from fundamental further general generic given
    good great had harder has have he help helps her high higher highest his holistic how huge i.e.
    if important impressive improve improved improves in include includes including into introduce
    introduced introduces investigate investigates is it its just key large large-scale least less
    leverage leveraging lightweight like long low lower lowest main major make makes many may method
    methods might minimal model models modern more most much multiple must my naive neither new no
    nor not novel obtain obtains of on one only onto open open-source or original other our
    outperform outperforms over paper per perform performance performed performs plain popular
    powerful practical present presented presents previous principled prior private promising
    propose proposed proposes provide provides public quite rather real real-world recent reduce
    reduces related release released releases relevant remarkable require requires result results
    rigorous robust same scalable second several shall she short should show shown shows significant
    simple since slow slower small small-scale so some sota specific standard state-of-the-art still
    straightforward strong stronger strongest studies study substantial such superior support
    supports systematic tackle tackles task tasks technique techniques than that the their them then
    these they third this thorough those three through throughout thus to toward towards traditional
    train trains two typical under unified unlike until unveil unveils upon upstream us use used
    uses using vanilla various versatile very via was we well were what when where whether which
    while who whom whose why wide widely will with within without work works would yet yield yields
    your
    """
)

# Acronyms and capitalised tokens that are not ML entities (units, hardware, organisations, prose).
NOT_NAMES = _words(
    """
    A100 A6000 AI AMD API APIs ASCII Additionally Alibaba Amazon Anthropic Apple Arabic BF16 Baidu
    Bengali C++ CEO COVID COVID-19 CPU CPUs CSV CUDA CV Chinese Code DL Data DeepMind Dutch EU
    English Experiments Extensive FLOP FLOPS FP16 FP32 FP8 Face Finally French Furthermore GB GFLOPs
    GPU GPUs German GitHub Github Google Greek H100 HTML HTTP Hebrew Hindi However Huawei Hugging
    HuggingFace IBM ID IDs II III INT4 INT8 IR IT IV Indonesian Intel IoT Italian JAX JSON Japanese
    Java KB Korean LaTeX MB ML Meta Microsoft Moreover NLP NVIDIA OK OOD OpenAI Our PDF PFLOPs
    Persian PhD Polish Portuguese PyTorch Python QA RAM RL RTX Reddit Results Russian SOTA SQL
    Spanish Specifically Swahili T4 TB TFLOPs TPU TPUs Tencent TensorFlow Thai These This Turkish
    Twitter UK URL URLs US USA UTF Urdu V100 Vietnamese We Wikipedia XML arXiv
    """
)

# Tokens inside a name that say "this is a model" when nothing else does.
MODEL_MARKERS = (
    "GPT",
    "BERT",
    "LLaMA",
    "Llama",
    "LLAMA",
    "T5",
    "ViT",
    "CLIP",
    "LM",
    "Net",
    "GAN",
    "Diffusion",
    "Gemma",
    "Qwen",
    "Mistral",
    "Mixtral",
    "Claude",
    "Gemini",
    "PaLM",
    "Phi",
    "Falcon",
    "OPT",
    "BLOOM",
    "Vicuna",
    "LLaVA",
    "DINO",
    "SAM",
    "Whisper",
    "Coder",
    "Chat",
    "Instruct",
    "VL",
    "LLM",
    "former",
    "Former",
    "Mamba",
)
