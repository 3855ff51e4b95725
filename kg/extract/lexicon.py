"""Word lists the rules share. General English / ML-writing knowledge, not names from any corpus."""

from __future__ import annotations

from kg.records import EntityType

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
TASK_HEADS = frozenset(
    ["generation", "classification", "detection", "recognition", "segmentation", "forecasting", "translation", "answering", "retrieval", "summarization", "captioning", "estimation", "tracking", "reconstruction", "synthesis", "completion", "parsing", "tagging", "localization", "navigation", "manipulation", "editing", "understanding", "prediction", "modeling", "modelling", "inpainting", "super-resolution", "denoising", "grounding", "reasoning", "extraction", "labeling", "labelling", "linking", "matching", "ranking", "recommendation", "verification", "diagnosis", "planning", "control", "compression", "search"]
)
METHOD_HEADS = frozenset(
    ["learning", "attention", "distillation", "quantization", "pruning", "fine-tuning", "finetuning", "pre-training", "pretraining", "training", "tuning", "parallelism", "prompting", "decoding", "regularization", "normalization", "augmentation", "embedding", "embeddings", "optimization", "sampling", "transformer", "transformers", "network", "networks", "autoencoder", "autoencoders", "encoder", "decoder", "convolution", "convolutions", "pooling", "dropout", "diffusion", "sparsity", "sparsification", "approximation", "inference", "distillation", "descent", "backpropagation", "bandits", "bandit", "process", "processes", "search"]
)
# Heads too common in prose to start a phrase on their own ("additional training", "faster inference"); they
# still type acronym long forms and vocabulary matches.
WEAK_HEADS = frozenset(["training", "inference", "search", "control", "planning", "alignment", "compression"])
METRIC_HEADS = frozenset(
    ["accuracy", "precision", "recall", "f1", "f1-score", "error", "rate", "latency", "throughput", "perplexity", "speedup", "efficiency", "cost", "costs", "score", "bleu", "rouge", "auc", "speed"]
)
# Metric heads specific enough to start a phrase ("success rate", "energy efficiency", "training cost").
PHRASE_METRIC_HEADS = frozenset(["error", "rate", "efficiency", "speed", "cost", "costs", "accuracy", "latency", "throughput"])
# Hyphenated tails that describe a use of a name: "GPT-style", "BERT-like", "ImageNet-trained".
USE_SUFFIXES = (
    "style|like|based|trained|pretrained|pre-trained|tuned|finetuned|fine-tuned|sized|size|scale|level|class|"
    "inspired|powered|generated|specific|family|series|type|only|free|aware|guided|driven|enhanced|augmented|"
    "compatible|scale"
)

# Modifiers that never start an entity name ("various tasks", "impressive video generation").
NP_STOP = (
    frozenset(
        ["a", "an", "the", "this", "that", "these", "those", "our", "their", "its", "his", "her", "my", "your", "we", "they", "it", "he", "she", "them", "us", "which", "who", "whom", "whose", "what", "when", "where", "while", "and", "or", "but", "nor", "for", "of", "in", "on", "at", "by", "to", "from", "with", "without", "into", "onto", "over", "under", "as", "than", "then", "thus", "so", "such", "via", "per", "across", "among", "between", "both", "each", "every", "either", "neither", "all", "any", "some", "many", "much", "more", "most", "less", "least", "few", "several", "various", "multiple", "different", "diverse", "other", "another", "same", "new", "novel", "existing", "previous", "prior", "current", "recent", "modern", "standard", "traditional", "conventional", "typical", "common", "popular", "widely", "well", "high", "higher", "highest", "low", "lower", "lowest", "better", "best", "good", "great", "strong", "stronger", "strongest", "superior", "improved", "enhanced", "efficient", "effective", "robust", "accurate", "impressive", "remarkable", "significant", "substantial", "promising", "competitive", "comparable", "challenging", "difficult", "complex", "simple", "easy", "specific", "general", "generic", "related", "relevant", "important", "key", "main", "major", "core", "critical", "crucial", "essential", "fundamental", "basic", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "can", "could", "may", "might", "must", "shall", "should", "will", "would", "not", "no", "also", "only", "even", "just", "still", "yet", "very", "rather", "quite", "further", "first", "second", "third", "one", "two", "three", "four", "five", "state-of-the-art", "sota", "downstream", "upstream", "large-scale", "small-scale", "large", "small", "big", "huge", "long", "short", "wide", "broad", "extensive", "comprehensive", "extensive", "real", "real-world", "practical", "open", "open-source", "public", "private", "given", "proposed", "presented", "introduced", "based", "using", "used", "use", "uses", "leveraging", "leverage", "via", "including", "include", "includes", "e.g.", "i.e.", "etc", "like", "unlike", "about", "around", "toward", "towards", "whether", "if", "how", "why", "who", "across", "upon", "within", "beyond", "through", "throughout", "during", "before", "after", "since", "until", "task", "tasks", "method", "methods", "model", "models", "approach", "approaches", "framework", "frameworks", "technique", "techniques", "performance", "results", "result", "work", "works", "paper", "study", "studies"]
    )
    | frozenset(PROPOSAL_VERBS.split("|"))
    | frozenset(
        ["achieve", "achieves", "achieved", "improve", "improves", "improved", "enable", "enables", "enabled", "perform", "performs", "performed", "apply", "applies", "applied", "study", "studies", "explore", "explores", "investigate", "investigates", "evaluate", "evaluates", "evaluated", "show", "shows", "shown", "demonstrate", "demonstrates", "outperform", "outperforms", "support", "supports", "allow", "allows", "require", "requires", "provide", "provides", "focus", "focuses", "address", "addresses", "tackle", "tackles", "boost", "boosts", "reduce", "reduces", "bring", "brings", "make", "makes", "help", "helps", "yield", "yields", "obtain", "obtains", "adopt", "adopts", "employ", "employs", "exploit", "exploits", "enhance", "enhances", "facilitate", "facilitates", "conduct", "conducts", "consider", "considers"]
    )
)

# Acronyms and capitalised tokens that are not ML entities (units, hardware, organisations, prose).
NOT_NAMES = frozenset(
    ["AI", "ML", "DL", "NLP", "CV", "RL", "IR", "QA", "API", "APIs", "URL", "URLs", "HTML", "PDF", "CPU", "CPUs", "GPU", "GPUs", "TPU", "TPUs", "RAM", "GB", "MB", "KB", "TB", "FLOP", "FLOPS", "USA", "US", "UK", "EU", "COVID", "COVID-19", "SOTA", "II", "III", "IV", "OK", "PhD", "CEO", "IoT", "IT", "ID", "IDs", "OOD", "JSON", "SQL", "XML", "CSV", "HTTP", "ASCII", "UTF", "FP16", "FP32", "FP8", "BF16", "INT8", "INT4", "A100", "H100", "V100", "A6000", "T4", "RTX", "TFLOPs", "PFLOPs", "GFLOPs", "CUDA", "NVIDIA", "OpenAI", "Google", "Meta", "Microsoft", "DeepMind", "Anthropic", "Amazon", "Apple", "IBM", "Intel", "AMD", "Baidu", "Alibaba", "Tencent", "Huawei", "GitHub", "HuggingFace", "Hugging", "Face", "arXiv", "Python", "PyTorch", "TensorFlow", "JAX", "Java", "C++", "LaTeX", "Github", "Twitter", "Reddit", "Wikipedia", "English", "Chinese", "Japanese", "French", "German", "Spanish", "Korean", "Arabic", "Hindi", "Russian", "Portuguese", "Italian", "Dutch", "Vietnamese", "Thai", "Turkish", "Indonesian", "Polish", "Persian", "Greek", "Hebrew", "Swahili", "Bengali", "Urdu", "We", "Our", "This", "These", "Finally", "However", "Moreover", "Furthermore", "Additionally", "Specifically", "Experiments", "Results", "Code", "Data", "Extensive"]
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
