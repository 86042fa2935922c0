// RUN: not ge-opt %s -p 'constant-fold{max-elements=5000}' 2>&1 | filecheck %s --check-prefix=BIG
// RUN: not ge-opt %s -p 'constant-fold{max-elements=-1}' 2>&1 | filecheck %s --check-prefix=NEG
// RUN: not ge-opt %s -p 'constant-fold{max-elements=many}' 2>&1 | filecheck %s --check-prefix=TYPE
// RUN: not ge-opt %s -p 'constant-fold{max-elts=8}' 2>&1 | filecheck %s --check-prefix=NAME
// RUN: not ge-opt %s -p 'canonicalize{max-elements=8}' 2>&1 | filecheck %s --check-prefix=CANON
// RUN: ge-opt %s -p 'constant-fold{max-elements=0},canonicalize' | filecheck %s --check-prefix=ZERO

// Bad options of constant-fold and canonicalize are one-line errors on stderr and exit 1
// (unknown names are reported by xDSL in their Python spelling, max_elts).

// BIG-NOT: Traceback
// BIG: ge-opt: error: constant-fold: max-elements must be between 0 and 4096 (the largest graph.constant), got 5000
// NEG: ge-opt: error: constant-fold: max-elements must be between 0 and 4096 (the largest graph.constant), got -1
// TYPE-NOT: Traceback
// TYPE: ge-opt: error: Incompatible types: given ('many',), expected <class 'int'>
// NAME: ge-opt: error: Provided arguments ["max_elts"] not found in expected arguments ["max_elements"]
// CANON: ge-opt: error: Provided arguments ["max_elements"] not found in expected arguments []

// max-elements=0 folds nothing (canonicalize then removes nothing here either).
// ZERO:      graph.constant dense<1.000000e+00> : tensor<f32>
// ZERO-NEXT: graph.constant dense<2.000000e+00> : tensor<f32>
// ZERO-NEXT: graph.add
func.func @f() -> tensor<f32> {
  %a = graph.constant dense<1.0> : tensor<f32>
  %b = graph.constant dense<2.0> : tensor<f32>
  %c = graph.add %a, %b : tensor<f32>, tensor<f32> -> tensor<f32>
  func.return %c : tensor<f32>
}
