"""The pass registry: the one place that maps pass names to ModulePass classes.

Keys equal each class's ``name`` (xDSL's PassPipeline requires it). Factories import lazily so
that tools start fast. Named pipelines (ge-O0..ge-O3) live in ``ge_compiler.pipelines``.
"""

from collections.abc import Callable

from xdsl.passes import ModulePass


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    def canonicalize() -> type[ModulePass]:
        from xdsl.transforms.canonicalize import CanonicalizePass

        return CanonicalizePass

    def cse() -> type[ModulePass]:
        from xdsl.transforms.common_subexpression_elimination import (
            CommonSubexpressionElimination,
        )

        return CommonSubexpressionElimination

    def dce() -> type[ModulePass]:
        from xdsl.transforms.dead_code_elimination import DeadCodeElimination

        return DeadCodeElimination

    def constant_fold() -> type[ModulePass]:
        from ge_compiler.passes.graph.constant_fold import ConstantFoldPass

        return ConstantFoldPass

    def prune() -> type[ModulePass]:
        from ge_compiler.passes.graph.prune import PrunePass

        return PrunePass

    def infer_shapes() -> type[ModulePass]:
        from ge_compiler.passes.graph.infer_shapes import InferShapesPass

        return InferShapesPass

    def inline_modules() -> type[ModulePass]:
        from ge_compiler.passes.graph.inline_modules import InlineModulesPass

        return InlineModulesPass

    def fuse() -> type[ModulePass]:
        from ge_compiler.passes.graph.fuse import FusePass

        return FusePass

    def convert_graph_to_stream() -> type[ModulePass]:
        from ge_compiler.passes.conversion.graph_to_stream import ConvertGraphToStream

        return ConvertGraphToStream

    def convert_stream_to_memory() -> type[ModulePass]:
        from ge_compiler.passes.conversion.stream_to_memory import ConvertStreamToMemory

        return ConvertStreamToMemory

    def assign_streams() -> type[ModulePass]:
        from ge_compiler.passes.stream.assign_streams import AssignStreamsPass

        return AssignStreamsPass

    def insert_events() -> type[ModulePass]:
        from ge_compiler.passes.stream.insert_events import InsertEventsPass

        return InsertEventsPass

    def overlap_transfers() -> type[ModulePass]:
        from ge_compiler.passes.stream.overlap_transfers import OverlapTransfersPass

        return OverlapTransfersPass

    def task_sink() -> type[ModulePass]:
        from ge_compiler.passes.stream.task_sink import TaskSinkPass

        return TaskSinkPass

    def plan_memory() -> type[ModulePass]:
        from ge_compiler.passes.memory.plan_memory import PlanMemoryPass

        return PlanMemoryPass

    return {
        "canonicalize": canonicalize,
        "cse": cse,
        "dce": dce,
        "constant-fold": constant_fold,
        "prune": prune,
        "infer-shapes": infer_shapes,
        "inline-modules": inline_modules,
        "fuse": fuse,
        "convert-graph-to-stream": convert_graph_to_stream,
        "assign-streams": assign_streams,
        "insert-events": insert_events,
        "overlap-transfers": overlap_transfers,
        "task-sink": task_sink,
        "convert-stream-to-memory": convert_stream_to_memory,
        "plan-memory": plan_memory,
    }
