"""kws's training code (Training/README.md). The scripts in Training/ are thin entry points into it
(`python train.py …` runs `kws_training.train.main`, see entry.py); no module here is run directly.

- paths, labels and splits: common, split, folds
- audio and features: features (MFCC as the engine computes it), augment, synth and voices (synthetic
  speech), pseudo (pseudo-speakers), negatives and stream_data (the always-on corpus and its examples)
- training: model, data (clips and epochs), loop (learning rate, SWA, BatchNorm, evaluation), train,
  alwayson, prune, qat and qat_model, teacher and embeddings (distillation)
- models out: export, verify_export, operating_points
- reports and checks: reports, cv, lowbit_cv, summarize, report_models, stream_table, highway_table,
  bench_streams, dev_compare, false_alarms, check_features, check_highway, check_outlier, highway_int,
  highway_fixture, make_samples
"""
