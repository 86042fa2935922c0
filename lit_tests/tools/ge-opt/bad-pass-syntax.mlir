// RUN: not ge-opt %s -p 'cse{' 2>&1 | filecheck %s --check-prefix=BRACE
// RUN: not ge-opt %s -p 'cse,,dce' 2>&1 | filecheck %s --check-prefix=EMPTY

// A malformed -p pipeline is reported with the pipeline text and a caret under the problem.

// BRACE-NOT: Traceback
// BRACE: ge-opt: error: Error parsing pass pipeline specification:
// BRACE-NEXT: pass-pipeline:1:5
// BRACE-NEXT: cse{
// BRACE-NEXT: ^
// BRACE-NEXT: Expected argument name here
// BRACE-NOT: Traceback

// EMPTY-NOT: Traceback
// EMPTY: ge-opt: error: Error parsing pass pipeline specification:
// EMPTY-NEXT: pass-pipeline:1:5
// EMPTY-NEXT: cse,,dce
// EMPTY-NEXT: ^
// EMPTY-NEXT: Expected pass name here
// EMPTY-NOT: Traceback

func.func @f(%x: tensor<4xf32>) {
  func.return
}
