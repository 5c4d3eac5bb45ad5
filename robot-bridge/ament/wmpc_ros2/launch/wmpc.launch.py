"""Brings up the wmpc simulator and the wmpc controller as two ROS 2 nodes.

    ros2 launch wmpc_ros2 wmpc.launch.py [model:=default|DIR] [task:=reach] [seed:=0] [params:=FILE]

The simulator publishes /camera/image_raw, /joint_states and the task's goal on /wmpc/goal_image; the controller
plans on them and commands the arm on /servo_node/delta_twist_cmds (and /gripper_controller/commands).
To drive a real arm instead, start only the controller next to the arm's drivers and remap its topics.
"""
from launch import LaunchDescription
from launch.actions import DeclareLaunchArgument
from launch.substitutions import LaunchConfiguration, PathJoinSubstitution
from launch_ros.actions import Node
from launch_ros.substitutions import FindPackageShare


def generate_launch_description():
    default_params = PathJoinSubstitution([FindPackageShare("wmpc_ros2"), "config", "wmpc.yaml"])
    params = LaunchConfiguration("params")
    return LaunchDescription([
        DeclareLaunchArgument("model", default_value="default", description="model folder, or 'default' for the shipped one"),
        DeclareLaunchArgument("task", default_value="reach", description="simulator task"),
        DeclareLaunchArgument("seed", default_value="0", description="seed for the task's random choices"),
        DeclareLaunchArgument("params", default_value=default_params, description="ROS 2 parameters file for both nodes"),
        Node(
            package="wmpc_ros2", executable="sim", name="wmpc_sim", output="screen",
            arguments=["--task", LaunchConfiguration("task"), "--seed", LaunchConfiguration("seed")],
            parameters=[params],
        ),
        Node(
            package="wmpc_ros2", executable="controller", name="wmpc_controller", output="screen",
            arguments=["--model", LaunchConfiguration("model"), "--seed", LaunchConfiguration("seed")],
            parameters=[params],
        ),
    ])
